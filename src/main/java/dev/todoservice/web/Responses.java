package dev.todoservice.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.todoservice.json.Json;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The single place answers are written, so every answer carries the request id and processing time, and answers to
 * requests with credentials are never cached.
 */
public final class Responses {

    /** Header naming the request; echoed or generated. */
    public static final String REQUEST_ID = "X-Request-ID";
    /** Header with the seconds spent on the request. */
    public static final String PROCESSED_TIME = "X-Processed-Time";

    static final Header CONTENT_TYPE = HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
    private static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");

    private Responses() {
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
        byte[] bytes = Json.bytes(body);
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
