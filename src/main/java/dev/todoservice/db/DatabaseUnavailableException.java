package dev.todoservice.db;

/**
 * The database cannot be reached right now; answered 503 so clients and proxies retry instead of failing hard.
 */
public final class DatabaseUnavailableException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param cause the connection failure, or null when the guard refused without trying
     */
    public DatabaseUnavailableException(Throwable cause) {
        super("database unavailable", cause, false, false);
    }
}
