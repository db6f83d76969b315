package dev.todoservice.web;

import io.helidon.http.Status;

/**
 * A failure the client caused or must be told about, answered as {@code {"detail": message}} with its status.
 */
public class ApiException extends RuntimeException {

    private final Status status;
    private final boolean closeConnection;

    /**
     * Creates the exception.
     *
     * @param status HTTP status to answer
     * @param detail the contract's message
     */
    public ApiException(Status status, String detail) {
        this(status, detail, false);
    }

    private ApiException(Status status, String detail, boolean closeConnection) {
        super(detail, null, false, false);
        this.status = status;
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
        return new ApiException(status, detail, true);
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
