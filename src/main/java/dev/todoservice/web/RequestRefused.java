package dev.todoservice.web;

import io.helidon.http.Status;

/**
 * A request the connection cannot carry (its body too large, too slow, badly framed; an unknown method; no room to
 * buffer it): answered with its status and {@code {"detail": message}}, and the connection is closed, since the
 * body was not (fully) read.
 */
public final class RequestRefused extends RuntimeException {

    private final Status status;

    /**
     * Creates the exception.
     *
     * @param status HTTP status to answer
     * @param detail the contract's message
     */
    public RequestRefused(Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    /**
     * The HTTP status to answer.
     *
     * @return the status
     */
    public Status status() {
        return status;
    }
}
