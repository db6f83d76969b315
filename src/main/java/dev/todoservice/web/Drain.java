package dev.todoservice.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.helidon.health.HealthCheckResponse;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;

/**
 * Graceful shutdown bookkeeping: counts requests in flight and, once draining starts, reports not ready and asks
 * clients to close their connections.
 * <p>
 * On SIGTERM the listeners stay open while requests in flight finish: a proxy that has not yet seen readiness go
 * DOWN still gets answers instead of refused connections. Only then does the server stop, closing idle connections
 * at once (Helidon 4.5 interrupts them; 4.1 waited its whole grace period on an idle HTTP/2 connection).
 */
public final class Drain {

    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean draining;

    /**
     * The number of requests being handled now.
     *
     * @return requests in flight
     */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /**
     * Publishes {@link #inFlight()} as the gauge {@code http.server.active.requests}.
     *
     * @return this
     */
    public Drain withMetric() {
        Metrics.globalRegistry().getOrCreate(
                Gauge.builder("http.server.active.requests", this::inFlight)
                        .description("HTTP requests being handled now"));
        return this;
    }

    /** A request started. */
    void requestStarted() {
        synchronized (lock) {
            inFlight++;
        }
    }

    /** A request finished. */
    void requestFinished() {
        synchronized (lock) {
            inFlight--;
            if (inFlight == 0) {
                lock.notifyAll();
            }
        }
    }

    /**
     * Whether shutdown has begun.
     *
     * @return true once {@link #awaitIdle} was called
     */
    public boolean draining() {
        return draining;
    }

    /**
     * Starts draining, keeps serving for a while even when idle (proxies check readiness only every few seconds and
     * keep sending until they notice), then waits until no request is in flight.
     *
     * @param notBefore how long to keep serving at least
     * @param timeout   the longest wait in all
     * @return the number of requests still in flight when the wait ended (0 when drained)
     */
    public int awaitIdle(Duration notBefore, Duration timeout) {
        draining = true;
        long start = System.nanoTime();
        long earliest = start + notBefore.toNanos();
        long deadline = start + timeout.toNanos();
        synchronized (lock) {
            while (inFlight > 0 || System.nanoTime() - earliest < 0) {
                long remaining = (inFlight > 0 ? deadline : Math.min(earliest, deadline)) - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return inFlight;
        }
    }

    /**
     * The readiness this bookkeeping reports: DOWN once draining started.
     *
     * @return UP while serving, DOWN while shutting down
     */
    public HealthCheckResponse status() {
        return HealthCheckResponse.builder()
                .status(!draining)
                .detail("state", draining ? "shutting down" : "serving")
                .build();
    }
}
