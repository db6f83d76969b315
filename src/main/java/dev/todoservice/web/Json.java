package dev.todoservice.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * JSON in and out: one shared mapper and the single place responses are written, so every answer carries the
 * request id and processing time.
 */
public final class Json {

    /** Header naming the request; echoed or generated. */
    public static final String REQUEST_ID = "X-Request-ID";
    /** Header with the seconds spent on the request. */
    public static final String PROCESSED_TIME = "X-Processed-Time";

    static final Header CONTENT_TYPE = HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
    private static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        // Deeply nested input is rejected by the parser before it costs stack or memory.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                                                             .maxNestingDepth(64)
                                                             .maxStringLength(1 << 20)
                                                             .build());
    }

    private Json() {
    }

    /**
     * Parses JSON text.
     *
     * @param text decoded JSON
     * @return the tree
     * @throws IOException ({@link JsonProcessingException}) when it is not one valid JSON value
     */
    static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    /**
     * Serialises a value.
     *
     * @param value record, map or list
     * @return UTF-8 JSON
     */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    /**
     * Sends a JSON response.
     *
     * @param req    the request, for its id and start time
     * @param res    the response
     * @param status status to send
     * @param body   the body
     */
    public static void send(ServerRequest req, ServerResponse res, Status status, Object body) {
        byte[] bytes = bytes(body);
        stamp(req, res);
        res.status(status).header(CONTENT_TYPE).send(bytes);
    }

    /**
     * Sends {@code {"detail": message}}.
     *
     * @param req    the request
     * @param res    the response
     * @param status status to send
     * @param detail the message
     */
    public static void detail(ServerRequest req, ServerResponse res, Status status, String detail) {
        send(req, res, status, Map.of("detail", detail));
    }

    /**
     * Sends a JSON body that is already serialised, e.g. a stored answer replayed byte for byte.
     *
     * @param req    the request
     * @param res    the response
     * @param status status to send
     * @param json   UTF-8 JSON text
     */
    public static void sendSerialised(ServerRequest req, ServerResponse res, Status status, String json) {
        stamp(req, res);
        res.status(status).header(CONTENT_TYPE).send(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Marks a request whose answer carries credentials (a token), so no cache keeps it.
     *
     * @param req the request
     */
    public static void noStore(ServerRequest req) {
        req.context().register(new NoStore());
    }

    /**
     * Sets the request id and processing time headers, and {@code Cache-Control: no-store} on answers to requests
     * with credentials; error handlers reset headers, so this runs on every send.
     *
     * @param req the request
     * @param res the response
     */
    static void stamp(ServerRequest req, ServerResponse res) {
        req.context().get(RequestInfo.class).ifPresent(info -> {
            res.header(REQUEST_ID, info.id());
            res.header(PROCESSED_TIME, info.elapsedSeconds());
        });
        if (req.headers().contains(HeaderNames.AUTHORIZATION) || req.context().get(NoStore.class).isPresent()) {
            res.header(NO_STORE);
        }
    }

    private record NoStore() {
    }
}
