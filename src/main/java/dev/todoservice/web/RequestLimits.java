package dev.todoservice.web;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.todoservice.config.TrustedProxies;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Keeps any one client from holding the service's memory or threads: methods outside HTTP's standard set are answered
 * 501; a chunked request body is accepted only from a trusted proxy (411 otherwise: Helidon reads a chunk-size line
 * without a length limit); a body must arrive within the body deadline and fit in a buffer budget shared by all
 * requests (503 when it stays full).
 */
public final class RequestLimits implements Filter {

    /** The methods of RFC 9110 and PATCH; anything else is not implemented here. */
    public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
                                                     "TRACE", "CONNECT");

    private final TrustedProxies trustedProxies;
    private final ConnectionDeadlines deadlines;
    private final Semaphore bodyBytes;
    private final Duration budgetWait;

    /**
     * Creates the filter.
     *
     * @param trustedProxies peers whose chunked bodies are accepted (their chunk framing is bounded by the proxy)
     * @param deadlines      the connection deadlines, for the body deadline
     * @param bodyBudget     the most bytes of request bodies held at once, across all requests
     * @param budgetWait     how long a request waits for room in the budget before it is answered 503
     */
    public RequestLimits(TrustedProxies trustedProxies, ConnectionDeadlines deadlines, int bodyBudget,
                         Duration budgetWait) {
        this.trustedProxies = trustedProxies;
        this.deadlines = deadlines;
        this.bodyBytes = new Semaphore(bodyBudget, true);
        this.budgetWait = budgetWait;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!METHODS.contains(req.prologue().method().text())) {
            throw new RequestRefused(Status.NOT_IMPLEMENTED_501, "Not Implemented");
        }
        boolean chunked = req.headers().contains(HeaderNames.TRANSFER_ENCODING);
        if (chunked && !trustedProxies.trusts(req.remotePeer().host())) {
            throw new RequestRefused(Status.LENGTH_REQUIRED_411,
                                       "Length Required: send the body with Content-Length");
        }
        long declared = req.headers().contentLength().orElse(0L);
        if (!chunked && declared == 0) {
            chain.proceed();
            return;
        }
        // Helidon has already refused declared lengths over the limit (413); a chunked body is counted at the limit.
        int reserved = (int) Math.min(chunked ? Bodies.MAX_BYTES : declared, Bodies.MAX_BYTES);
        if (!acquire(reserved)) {
            throw new RequestRefused(Status.SERVICE_UNAVAILABLE_503, "Service Unavailable");
        }
        ConnectionDeadlines.Deadline deadline = deadlines.startBody();
        req.context().register(deadline);
        try {
            chain.proceed();
            // A handler that answered without reading the body (e.g. 401) leaves it to be drained here, still under the
            // deadline, unless the connection is closing anyway.
            if (!res.headers().contains(HeaderValues.CONNECTION_CLOSE) && !req.content().consumed()) {
                drain(req);
            }
        } finally {
            deadline.disarm();
            bodyBytes.release(reserved);
        }
    }

    private static void drain(RoutingRequest req) {
        try {
            req.content().consume();
        } catch (RuntimeException e) {
            // The body broke off or its deadline passed: the server closes the connection instead of reusing it.
        }
    }

    private boolean acquire(int bytes) {
        try {
            return bodyBytes.tryAcquire(bytes, budgetWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
