package dev.todoservice.web;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Cross-origin access for browser clients ({@code CORS_ALLOWED_ORIGINS}): the one place that decides which origins
 * may call the API and what their preflight requests are answered.
 * <p>
 * Requests from an allowed origin get {@code Access-Control-Allow-Origin}; a preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) to an API route is answered 204 with that route's methods and the headers
 * clients send, or 403 when the origin is not allowed. Unknown paths stay 404. Credentials (cookies) are never
 * allowed: the API authenticates with bearer tokens, so {@code *} is answered as {@code *}, never as a reflected
 * origin. The documentation ({@code /docs}, {@code /openapi}, {@code /openapi.json}) is same-origin only.
 */
public final class Cors implements Filter {

    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-ID";
    static final String EXPOSED_HEADERS =
            "Idempotent-Replayed, Retry-After, WWW-Authenticate, X-Processed-Time, X-Request-ID";
    // Browsers cap it (Chromium at 2 h); 10 min keeps a configuration change effective soon.
    static final String MAX_AGE_SECONDS = "600";
    private static final Set<String> DOCUMENTATION = Set.of("/openapi", "/openapi.json", "/docs");

    private final Set<String> origins;
    private final boolean anyOrigin;

    /**
     * Creates the filter.
     *
     * @param allowedOrigins origins in the form browsers send them, or just {@code *}; empty allows none
     */
    public Cors(List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.contains("*");
        this.origins = Set.copyOf(allowedOrigins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().absolute().path();
        if (DOCUMENTATION.contains(path) || path.startsWith("/docs/")) {
            chain.proceed();
            return;
        }
        if (!anyOrigin && !origins.isEmpty()) {
            // Answers differ by Origin: shared caches must not hand one origin's answer to another.
            res.header(HeaderNames.VARY, "Origin");
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        boolean allowed = origin.filter(o -> anyOrigin || origins.contains(o)).isPresent();
        if (allowed) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin.get());
        }
        if (origin.isPresent() && req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            // Answered by the route's own method handler, so only real routes answer and with their own methods.
            req.context().register(new Preflight(allowed));
        } else if (allowed) {
            res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        }
        chain.proceed();
    }

    /**
     * Answers a CORS preflight to a route, if the request is one.
     *
     * @param req     the request
     * @param res     the response
     * @param methods the methods the route serves, e.g. {@code GET, POST}
     * @return whether the request was a preflight and has been answered
     */
    static boolean answerPreflight(ServerRequest req, ServerResponse res, String methods) {
        Optional<Preflight> preflight = req.context().get(Preflight.class);
        if (preflight.isEmpty()) {
            return false;
        }
        if (!preflight.get().allowed()) {
            Responses.detail(req, res, Status.FORBIDDEN_403, "Cross-origin requests from this origin are not allowed");
            return true;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods)
                .header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                .header(HeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
                .status(Status.NO_CONTENT_204)
                .send();
        return true;
    }

    /** Put in the request context by the filter: a preflight from an allowed origin or not. */
    private record Preflight(boolean allowed) {
    }
}
