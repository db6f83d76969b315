package dev.todoservice.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Classifies failures that surface from the database client by their SQL state.
 */
public final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * Whether the failure means the database is unreachable: connection loss, refused connections, or a server
     * shutting down or starting up.
     *
     * @param error any exception from the database client
     * @return true when the database itself is gone
     */
    public static boolean isConnectionFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the server went away (connection lost or refused, shut down, restarting): the pool's connections are
     * dead. Not so for "too many connections" (53300), where the pool's open connections still work.
     *
     * @param error any exception from the database client
     * @return true when every open connection is likely dead
     */
    public static boolean isServerGone(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the pool had no connection to give within its time-out while the database itself answers: the
     * service is overloaded, not cut off.
     *
     * @param error any exception from the database client
     * @return true for a pool time-out without a connection failure behind it
     */
    public static boolean isPoolExhausted(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return !isConnectionFailure(t);
            }
        }
        return false;
    }

    /**
     * Whether PostgreSQL cancelled the statement (SQL state 57014), as it does when the statement timeout runs out.
     *
     * @param error any exception from the database client
     * @return true for a cancelled statement
     */
    public static boolean isQueryCanceled(Throwable error) {
        return hasState(error, "57014");
    }

    /**
     * Whether a row referred to a row that does not exist (SQL state 23503), e.g. a todo for a user deleted meanwhile.
     *
     * @param error any exception from the database client
     * @return true for a foreign key violation
     */
    public static boolean isForeignKeyViolation(Throwable error) {
        return hasState(error, "23503");
    }

    private static boolean hasState(Throwable error, String state) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The constraint a unique violation hit.
     *
     * @param error any exception from the database client
     * @return the constraint name when the failure is a unique violation (SQL state 23505)
     */
    public static Optional<String> uniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && "23505".equals(psql.getSQLState())) {
                return Optional.ofNullable(psql.getServerErrorMessage())
                        .map(ServerErrorMessage::getConstraint)
                        .or(() -> Optional.of(""));
            }
        }
        return Optional.empty();
    }
}
