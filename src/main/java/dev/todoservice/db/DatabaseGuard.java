package dev.todoservice.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.todoservice.failure.Failure;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import io.helidon.metrics.api.Timer;

/**
 * The only way the application talks to the database. When a connection failure is seen it marks the database
 * down, so further requests fail at once (an {@link Failure.Kind#UNAVAILABLE} failure, 503) instead of each waiting
 * for the pool; a background virtual thread pings until the database answers again and then lets traffic through. A
 * pool time-out under load fails only the request that waited.
 */
public final class DatabaseGuard implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(DatabaseGuard.class.getName());
    private static final Duration RETRY_AFTER_OUTAGE = Duration.ofSeconds(1);
    // One request too expensive, not an outage: its client should wait longer, or ask for less.
    private static final Duration RETRY_AFTER_TIMEOUT = Duration.ofSeconds(5);

    private final DbClient client;
    private final ConnectionPool pool;
    private final Map<String, Statement> statements;
    private final Duration probeInterval;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    // Set when the outage killed the pool's connections, so the ones opened meanwhile are kept otherwise.
    private volatile boolean evictOnRecovery;

    /**
     * Creates the guard.
     *
     * @param client        the database client
     * @param pool          the client's connections, for {@link #read} and to drop those a lost database left dead
     * @param statements    the named statements, parsed ({@link Databases#statements})
     * @param probeInterval pause between pings while the database is down
     */
    public DatabaseGuard(DbClient client, ConnectionPool pool, Map<String, Statement> statements,
                         Duration probeInterval) {
        this.client = client;
        this.pool = pool;
        this.statements = Map.copyOf(statements);
        this.probeInterval = probeInterval;
    }

    /** Reads a query's rows. */
    @FunctionalInterface
    public interface RowsReader<T> {

        /**
         * Reads the rows.
         *
         * @param rows the result, before its first row
         * @return what the rows say
         * @throws SQLException as the driver throws it
         */
        T read(ResultSet rows) throws SQLException;
    }

    /**
     * Runs a query on a pooled connection and reads its rows straight from JDBC. For the hottest reads: Helidon's
     * client builds every row's column metadata anew (a class lookup per column and row) and a map per row, a sixth
     * of a {@code GET /todos/}'s CPU (bench/results). Guarded, classified and timed ({@code db.timer.<name>}) as
     * {@link #call} is.
     *
     * @param statement the query
     * @param values    its parameters' values (texts up to 1,024 characters, numbers, booleans, nulls)
     * @param reader    reads the rows
     * @param <T>       result type
     * @return what the reader returned
     * @throws Failure as {@link #call} throws it
     */
    public <T> T read(Statement statement, Params values, RowsReader<T> reader) {
        if (!available.get()) {
            throw Failure.unavailable(RETRY_AFTER_OUTAGE, null);
        }
        Timer timer = StatementTimers.timer(statement.name());
        long start = System.nanoTime();
        try (Connection connection = pool.connection();
             PreparedStatement query = connection.prepareStatement(statement.sql())) {
            statement.bind(query, values);
            try (ResultSet rows = query.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw classified(new DbClientException("Failed to execute statement " + statement.name(), e));
        } catch (RuntimeException e) {
            throw classified(e);
        } finally {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A named statement, for repositories to look up once.
     *
     * @param name its name in {@code db.statements}
     * @return the statement
     * @throws IllegalArgumentException when there is none of that name
     */
    public Statement statement(String name) {
        Statement statement = statements.get(name);
        if (statement == null) {
            throw new IllegalArgumentException("No statement " + name + " in db.statements");
        }
        return statement;
    }

    /**
     * Runs database work.
     *
     * @param work statements to run on an executor
     * @param <T>  result type
     * @return the work's result
     * @throws Failure {@link Failure.Kind#UNAVAILABLE} when the database is down or goes down during the work, or a
     *                  statement ran out of time
     */
    public <T> T call(Function<DbExecute, T> work) {
        if (!available.get()) {
            throw Failure.unavailable(RETRY_AFTER_OUTAGE, null);
        }
        try {
            return work.apply(client.execute());
        } catch (RuntimeException e) {
            throw classified(e);
        }
    }

    /**
     * Runs database work in one transaction: committed when the work returns, rolled back when it throws.
     *
     * @param work statements to run in the transaction
     * @param <T>  result type
     * @return the work's result
     * @throws Failure {@link Failure.Kind#UNAVAILABLE} when the database is down or goes down during the work, or a
     *                  statement ran out of time
     */
    public <T> T transaction(Function<DbTransaction, T> work) {
        if (!available.get()) {
            throw Failure.unavailable(RETRY_AFTER_OUTAGE, null);
        }
        DbTransaction transaction = client.transaction();
        T result;
        try {
            result = work.apply(transaction);
        } catch (RuntimeException e) {
            try {
                transaction.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw classified(e);
        }
        try {
            transaction.commit();
        } catch (RuntimeException e) {
            throw classified(e);
        }
        return result;
    }

    private RuntimeException classified(RuntimeException e) {
        if (SqlErrors.isConnectionFailure(e)) {
            markDown(e);
            return Failure.unavailable(RETRY_AFTER_OUTAGE, e);
        }
        if (SqlErrors.isPoolExhausted(e)) {
            // Overload: this request gets a 503, but the database is fine and stays open to others.
            return Failure.unavailable(RETRY_AFTER_OUTAGE, e);
        }
        if (SqlErrors.isQueryCanceled(e)) {
            // One request too expensive, not an outage: the guard keeps the database open.
            return Failure.unavailable("Request took too long; retry later or narrow it", RETRY_AFTER_TIMEOUT, e);
        }
        return e;
    }

    /**
     * Whether the database answers now; used by readiness.
     *
     * @return true when a trivial query succeeded
     */
    public boolean ping() {
        if (!available.get()) {
            return false;
        }
        try {
            pingOnce();
            return true;
        } catch (RuntimeException e) {
            markDown(e);
            return false;
        }
    }

    /**
     * Whether requests are currently let through.
     *
     * @return false while the database is considered down
     */
    public boolean available() {
        return available.get();
    }

    @Override
    public void close() {
        closed.set(true);
        client.close();
    }

    private void pingOnce() {
        try (Stream<DbRow> rows = client.execute().namedQuery("ping")) {
            rows.forEach(row -> { });
        }
    }

    private void markDown(Throwable cause) {
        if (available.compareAndSet(true, false) && !closed.get()) {
            LOGGER.log(Level.WARNING, "Database unreachable, answering 503 until it is back: " + rootMessage(cause));
            evictOnRecovery = SqlErrors.isServerGone(cause);
            if (evictOnRecovery) {
                pool.evictAll();
            }
            Thread.ofVirtual().name("database-probe").start(this::probeUntilBack);
        }
    }

    private void probeUntilBack() {
        while (!closed.get()) {
            try {
                Thread.sleep(probeInterval);
                pingOnce();
                // Connections in use during the outage come back dead; drop them before letting requests in.
                if (evictOnRecovery) {
                    pool.evictAll();
                }
                available.set(true);
                LOGGER.info("Database reachable again");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "Database still unreachable: " + rootMessage(e));
            }
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
