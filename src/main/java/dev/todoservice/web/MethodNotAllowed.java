package dev.todoservice.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Registered after a path's real routes: any other method on that path is a 405 naming the allowed ones, except a
 * CORS preflight, which {@link Cors} answers with the same methods.
 */
public final class MethodNotAllowed implements Handler {

    private final String allowed;

    private MethodNotAllowed(String allowed) {
        this.allowed = allowed;
    }

    /**
     * A handler for a path that serves the given methods.
     *
     * @param methods the methods the path does serve
     * @return the handler
     */
    public static MethodNotAllowed allowing(String... methods) {
        return new MethodNotAllowed(String.join(", ", methods));
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (Cors.answerPreflight(req, res, allowed)) {
            return;
        }
        res.header(HeaderNames.ALLOW, allowed);
        Responses.detail(req, res, Status.METHOD_NOT_ALLOWED_405, "Method Not Allowed");
    }
}
