package dev.todoservice.web;

import io.helidon.http.Status;

/**
 * A failure the client caused or must be told about, answered as {@code {"detail": message}} with its status.
 */
public class ApiException extends RuntimeException {

    private final Status status;

    /**
     * Creates the exception.
     *
     * @param status HTTP status to answer
     * @param detail the contract's message
     */
    public ApiException(Status status, String detail) {
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
