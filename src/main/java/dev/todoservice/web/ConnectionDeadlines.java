package dev.todoservice.web;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Closes HTTP/1.1 connections whose request headers or body do not arrive in time. Helidon 4.5 closes only
 * connections idle between requests; a client that sends a request line and then half a header, or half a body, would
 * otherwise hold its connection and handler forever (slowloris).
 * <p>
 * Helidon reads a connection's requests and runs their handlers on one virtual thread per connection, and calls this
 * listener on that thread, so the connection being read is kept in a thread-local.
 */
public final class ConnectionDeadlines implements Http1ConnectionListener, AutoCloseable {

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final ScheduledExecutorService timer;
    private final ThreadLocal<Deadline> current = new ThreadLocal<>();

    /**
     * Creates the deadlines.
     *
     * @param headerTimeout longest time from a request line to the end of its headers
     * @param bodyTimeout   longest time from the end of the headers to the end of the body
     */
    public ConnectionDeadlines(Duration headerTimeout, Duration bodyTimeout) {
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "connection-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // Nearly every deadline is cancelled; without this the queue would hold them until they would have fired.
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Deadline deadline = new Deadline(ctx.serverSocket());
        current.set(deadline);
        deadline.arm(headerTimeout);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Deadline deadline = current.get();
        if (deadline != null) {
            deadline.disarm();
        }
    }

    /**
     * Starts the body deadline of the request being handled on this thread.
     *
     * @return the deadline, to disarm once the body is read; a no-op one when the request did not come through this
     *         listener
     */
    public Deadline startBody() {
        Deadline deadline = current.get();
        if (deadline == null) {
            return new Deadline(null);
        }
        deadline.arm(bodyTimeout);
        return deadline;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A connection's pending deadline: when it passes, the connection is closed. */
    public final class Deadline {

        private final HelidonSocket socket;
        private ScheduledFuture<?> pending;
        // Tells a timer task that lost the race with disarm() from one armed later.
        private long generation;
        private volatile boolean expired;

        private Deadline(HelidonSocket socket) {
            this.socket = socket;
        }

        private synchronized void arm(Duration timeout) {
            if (socket != null) {
                long armed = ++generation;
                pending = timer.schedule(() -> expire(armed), timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        /** The awaited data arrived (or the request is over): the connection stays open. */
        public synchronized void disarm() {
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }

        /**
         * Whether the deadline passed and the connection was closed.
         *
         * @return true once expired
         */
        public boolean expired() {
            return expired;
        }

        private synchronized void expire(long armed) {
            if (pending != null && armed == generation) {
                expired = true;
                pending = null;
                socket.close();
            }
        }
    }
}
