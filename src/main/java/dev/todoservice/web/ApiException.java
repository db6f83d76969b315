package dev.todoservice.web;

import java.time.Duration;
import java.util.Optional;

import io.helidon.http.Status;

/**
 * A failure the client caused or must be told about, answered as {@code {"detail": message}} with its status, and
 * {@code Retry-After} when waiting helps.
 */
public class ApiException extends RuntimeException {

    private static final Status TOO_MANY_REQUESTS = Status.create(429, "Too Many Requests");

    private final Status status;
    private final Duration retryAfter;
    private final boolean closeConnection;

    /**
     * Creates the exception.
     *
     * @param status HTTP status to answer
     * @param detail the contract's message
     */
    public ApiException(Status status, String detail) {
        this(status, detail, null, false);
    }

    private ApiException(Status status, String detail, Duration retryAfter, boolean closeConnection) {
        super(detail, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.closeConnection = closeConnection;
    }

    /**
     * An answer after which the connection is closed: the request's body was not (fully) read, so the connection
     * cannot carry another request.
     *
     * @param status HTTP status to answer
     * @param detail the contract's message
     * @return the exception
     */
    public static ApiException closing(Status status, String detail) {
        return new ApiException(status, detail, null, true);
    }

    /**
     * A 429: the client made too many attempts and may try again after the given time.
     *
     * @param retryAfter how long to wait
     * @return the exception
     */
    public static ApiException tooManyRequests(Duration retryAfter) {
        return new ApiException(TOO_MANY_REQUESTS, "Too many requests", retryAfter, false);
    }

    /**
     * A 503 for a moment of overload: the client should retry after the given time.
     *
     * @param retryAfter how long to wait
     * @return the exception
     */
    public static ApiException unavailable(Duration retryAfter) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, "Service Unavailable", retryAfter, false);
    }

    /**
     * How long the client should wait before trying again, when that helps.
     *
     * @return the wait, if any
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Whether the answer closes the connection.
     *
     * @return true for {@link #closing}
     */
    public boolean closeConnection() {
        return closeConnection;
    }

    /**
     * The HTTP status to answer.
     *
     * @return the status
     */
    public Status status() {
        return status;
    }

    /**
     * The contract's message.
     *
     * @return the detail text
     */
    public String detail() {
        return getMessage();
    }

    /**
     * A 404 with the route's not-found message.
     *
     * @param detail the message
     * @return the exception
     */
    public static ApiException notFound(String detail) {
        return new ApiException(Status.NOT_FOUND_404, detail);
    }

    /**
     * A 409 conflict.
     *
     * @param detail the message
     * @return the exception
     */
    public static ApiException conflict(String detail) {
        return new ApiException(Status.CONFLICT_409, detail);
    }

    /**
     * A 403 for acting on another user.
     *
     * @return the exception
     */
    public static ApiException forbidden() {
        return new ApiException(Status.FORBIDDEN_403, "Not enough permissions");
    }
}
