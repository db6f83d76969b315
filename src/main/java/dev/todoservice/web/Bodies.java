package dev.todoservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todoservice.json.Json;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * Reads request bodies with the contract's limits: at most 1 MiB, a JSON object or a URL-encoded form.
 */
public final class Bodies {

    /** Largest accepted request body. */
    public static final int MAX_BYTES = 1024 * 1024;

    private Bodies() {
    }

    /**
     * Reads the body as a JSON object.
     *
     * @param req the request
     * @return the object
     * @throws ValidationException when the body is missing, not JSON, or not an object
     * @throws RequestRefused     413 when the body is over the limit
     */
    public static ObjectNode jsonObject(ServerRequest req) {
        byte[] bytes = read(req);
        if (bytes.length == 0) {
            throw new ValidationException(List.of(Validator.missing(List.of("body"))));
        }
        // Decoded strictly here, not by the parser: overlong forms ("\xc0\xae" for '.'), encoded surrogates and
        // stray bytes are malformed UTF-8 and must not turn into characters.
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CoderResult decoded = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes), text, true);
        if (decoded.isError()) {
            throw jsonInvalid(text.position());
        }
        text.flip();
        if (text.hasRemaining() && text.get(0) == '\uFEFF') {
            text.get();
        }
        JsonNode node;
        try {
            node = Json.parse(text.toString());
        } catch (JsonProcessingException e) {
            throw jsonInvalid(e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getCharOffset()));
        } catch (IOException e) {
            throw jsonInvalid(0);
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new ValidationException(List.of(new Violation(
                "model_attributes_type", List.of("body"),
                "Input should be a valid dictionary or object to extract fields from", node)));
    }

    private static ValidationException jsonInvalid(long offset) {
        return new ValidationException(List.of(new Violation("json_invalid", List.of("body", offset),
                                                             "JSON decode error", null)));
    }

    /**
     * Reads an {@code application/x-www-form-urlencoded} body; the first value of a repeated field wins.
     *
     * @param req the request
     * @return field values
     * @throws ValidationException when the encoding is broken
     */
    public static Map<String, String> form(ServerRequest req) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(read(req)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalidForm();
        }
        Map<String, String> fields = new HashMap<>();
        if (text.isEmpty()) {
            return fields;
        }
        try {
            for (String pair : text.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw invalidForm();
        }
        return fields;
    }

    private static ValidationException invalidForm() {
        return new ValidationException(List.of(new Violation(
                "value_error", List.of("body"), "Value error, body is not a valid URL-encoded form", null)));
    }

    private static byte[] read(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        Optional<ConnectionDeadlines.Deadline> deadline = req.context().get(ConnectionDeadlines.Deadline.class);
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new RequestRefused(Status.REQUEST_ENTITY_TOO_LARGE_413, "Request body too large");
            }
            return bytes;
        } catch (RequestRefused e) {
            throw e;
        } catch (RequestException e) {
            if (e.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
                throw new RequestRefused(Status.REQUEST_ENTITY_TOO_LARGE_413, "Request body too large");
            }
            throw unreadable(deadline);
        } catch (IOException | RuntimeException e) {
            throw unreadable(deadline);
        } finally {
            deadline.ifPresent(ConnectionDeadlines.Deadline::disarm);
        }
    }

    private static RequestRefused unreadable(Optional<ConnectionDeadlines.Deadline> deadline) {
        if (deadline.isPresent() && deadline.get().expired()) {
            return new RequestRefused(Status.REQUEST_TIMEOUT_408, "Request body not received in time");
        }
        // Broken framing (e.g. a bad chunk size) or a connection that went away mid-body.
        return new RequestRefused(Status.BAD_REQUEST_400, "Invalid request body");
    }
}
