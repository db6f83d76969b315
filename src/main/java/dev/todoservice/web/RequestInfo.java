package dev.todoservice.web;

import io.helidon.webserver.http.ServerRequest;

/**
 * Per-request facts set by {@link RequestLogFilter} and read when answering and logging.
 *
 * @param id          the request id echoed in {@code X-Request-ID}
 * @param startNanos  {@link System#nanoTime()} when the request arrived
 * @param clientIp    the real client address, after trusted forwarded headers
 */
public record RequestInfo(String id, long startNanos, String clientIp) {

    /**
     * The real client address of a request: the one {@code TRUSTED_PROXIES} vouch for, else the peer's.
     *
     * @param req the request
     * @return the client's address
     */
    public static String clientOf(ServerRequest req) {
        return req.context().get(RequestInfo.class).map(RequestInfo::clientIp).orElseGet(() -> req.remotePeer().host());
    }

    /**
     * Seconds since the request arrived, formatted for {@code X-Processed-Time}.
     *
     * @return decimal seconds
     */
    public String elapsedSeconds() {
        return seconds(System.nanoTime() - startNanos);
    }

    // As String.format("%.6f", nanos / 1e9) writes it, without parsing a format on every request.
    static String seconds(long nanos) {
        long micros = (Math.max(0, nanos) + 500) / 1000;
        String fraction = Long.toString(1_000_000 + micros % 1_000_000);
        return micros / 1_000_000 + "." + fraction.substring(1);
    }
}
