package dev.todoservice.db;

/**
 * A statement ran longer than the statement timeout and PostgreSQL cancelled it (SQL state 57014). One request was too
 * expensive; the database itself is fine and stays open to everyone else.
 */
public final class StatementTimeoutException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param cause the cancellation
     */
    public StatementTimeoutException(Throwable cause) {
        super("statement timed out", cause, false, false);
    }
}
