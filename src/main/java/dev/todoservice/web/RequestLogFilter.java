package dev.todoservice.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.todoservice.config.TrustedProxies;
import dev.todoservice.logging.LogSetup;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Request bookkeeping around every public request: an id, the real client address, the in-flight count for graceful
 * shutdown, and afterwards one access-log line and the per-route timer {@code http.server.requests}.
 */
public final class RequestLogFilter implements Filter {

    /** Logger of the one-line-per-request log; its records carry a {@code Map} of fields as the only parameter. */
    public static final Logger ACCESS_LOG = Logger.getLogger(LogSetup.ACCESS_LOGGER);
    private static final HeaderName REQUEST_ID = HeaderNames.create(Responses.REQUEST_ID);
    private static final HeaderName PROCESSED_TIME = HeaderNames.create(Responses.PROCESSED_TIME);
    private static final String UNMATCHED = "unmatched";

    private final TrustedProxies trustedProxies;
    private final Drain drain;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
     * Creates the filter.
     *
     * @param trustedProxies peers whose {@code X-Forwarded-For} is believed
     * @param drain          in-flight bookkeeping for graceful shutdown
     */
    public RequestLogFilter(TrustedProxies trustedProxies, Drain drain) {
        this.trustedProxies = trustedProxies;
        this.drain = drain;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String id = req.headers().first(REQUEST_ID).filter(RequestLogFilter::acceptableId)
                .orElseGet(RequestLogFilter::newId);
        String peer = req.remotePeer().host();
        String client = trustedProxies.clientAddress(peer, req.headers().values(HeaderNames.X_FORWARDED_FOR));
        RequestInfo info = new RequestInfo(id, start, client);
        req.context().register(info);
        // Answers not written through Json (static files, the OpenAPI feature) keep these.
        res.header(REQUEST_ID, id);
        res.header(PROCESSED_TIME, info.elapsedSeconds());
        drain.requestStarted();
        if (drain.draining()) {
            // Shutting down: clients reconnect (to another instance) instead of reusing this connection.
            res.header(HeaderNames.CONNECTION, "close");
        }
        try {
            chain.proceed();
        } finally {
            drain.requestFinished();
            long nanos = System.nanoTime() - start;
            recordTimer(req, res, nanos);
            if (ACCESS_LOG.isLoggable(Level.INFO)) {
                log(req, res, info, peer, nanos);
            }
        }
    }

    private void recordTimer(RoutingRequest req, RoutingResponse res, long nanos) {
        // Clients choose the method: outside the standard set it is one series, as OpenTelemetry records it.
        String method = RequestLimits.METHODS.contains(req.prologue().method().text())
                ? req.prologue().method().text()
                : "_OTHER";
        String route = req.context().get(Unmatched.class).isPresent() ? UNMATCHED : routeTemplate(req);
        String status = Integer.toString(res.status().code());
        // Few distinct series (routes x methods x statuses): look each up in the registry once.
        timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Metrics.globalRegistry().getOrCreate(
                        Timer.builder("http.server.requests")
                                .description("HTTP requests by method, route and status")
                                .tags(List.of(Tag.create("method", method),
                                              Tag.create("route", route),
                                              Tag.create("status", status)))))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private void log(RoutingRequest req, RoutingResponse res, RequestInfo info, String peer, long nanos) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", info.id());
        fields.put("method", req.prologue().method().text());
        fields.put("path", req.path().absolute().rawPath());
        fields.put("status", res.status().code());
        fields.put("duration_ms", Math.round(nanos / 10_000.0) / 100.0);
        fields.put("client_ip", info.clientIp());
        fields.put("user_agent", req.headers().first(HeaderNames.USER_AGENT).orElse(""));
        fields.put("protocol", req.prologue().protocolVersion());
        fields.put("scheme", trustedProxies.forwarded(peer, req.headers().values(HeaderNames.X_FORWARDED_PROTO))
                .orElse(req.isSecure() ? "https" : "http"));
        fields.put("host", trustedProxies.forwarded(peer, req.headers().values(HeaderNames.X_FORWARDED_HOST))
                .or(() -> req.headers().first(HeaderNames.HOST))
                .orElse(""));
        LogRecord record = new LogRecord(Level.INFO, "request");
        record.setLoggerName(ACCESS_LOG.getName());
        record.setParameters(new Object[] {fields});
        ACCESS_LOG.log(record);
    }

    /** Marker put in the request context when no route matched, so metrics do not grow a series per unknown path. */
    public record Unmatched() {
    }

    // A random UUID (version 4) from a fast generator: the id correlates log lines, it guards nothing, and
    // UUID.randomUUID() draws from SecureRandom under a lock on every request.
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xf000L | 0x4000L;
        long low = random.nextLong() & ~(0xcL << 60) | 0x8L << 60;
        return new UUID(high, low).toString();
    }

    static boolean acceptableId(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return false;
        }
        return id.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    // "/users/42" with path parameter user_id=42 becomes "/users/{user_id}"; a trailing slash is dropped.
    private static String routeTemplate(RoutingRequest req) {
        String path = req.path().absolute().path();
        Parameters params = req.path().pathParameters();
        if (!params.isEmpty()) {
            StringBuilder template = new StringBuilder();
            for (String segment : path.split("/")) {
                if (segment.isEmpty()) {
                    continue;
                }
                String name = params.names().stream()
                        .filter(n -> segment.equals(params.first(n).orElse(null)))
                        .findFirst()
                        .orElse(null);
                template.append('/').append(name == null ? segment : "{" + name + "}");
            }
            path = template.toString();
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
