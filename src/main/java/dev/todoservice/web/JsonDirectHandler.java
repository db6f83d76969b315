package dev.todoservice.web;

import java.util.Map;
import java.util.UUID;

import dev.todoservice.json.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers the errors the server raises before routing (malformed HTTP, a declared body over the limit) with the
 * contract's {@code {"detail": ...}} body instead of plain text.
 */
public final class JsonDirectHandler implements DirectHandler {

    @Override
    public TransportResponse handle(TransportRequest request,
                                    EventType eventType,
                                    Status status,
                                    ServerResponseHeaders headers,
                                    String message) {
        String detail = switch (status.code()) {
            case 413 -> "Request body too large";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            default -> status.reasonPhrase();
        };
        if (status.code() == Status.SERVICE_UNAVAILABLE_503.code()) {
            headers.set(HeaderNames.RETRY_AFTER, "1");
        }
        headers.set(Responses.CONTENT_TYPE);
        headers.set(HeaderNames.create(Responses.REQUEST_ID), UUID.randomUUID().toString());
        headers.set(HeaderNames.create(Responses.PROCESSED_TIME), "0.000000");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(Json.bytes(Map.of("detail", detail)))
                .keepAlive(eventType.keepAlive())
                .build();
    }
}
