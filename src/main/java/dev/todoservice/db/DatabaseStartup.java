package dev.todoservice.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Waits for PostgreSQL to accept connections, with exponential backoff, so a slow database at boot (a container
 * still initialising, a VM still starting its cluster) does not crash the service.
 */
public final class DatabaseStartup {

    private static final Logger LOGGER = Logger.getLogger(DatabaseStartup.class.getName());
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private DatabaseStartup() {
    }

    /**
     * Blocks until a connection succeeds or the wait runs out.
     *
     * @param settings where the database is and how long to wait
     * @throws IllegalStateException with a one-line reason when the database stayed unreachable
     */
    public static void awaitDatabase(DatabaseSettings settings) {
        try {
            awaitConnection(settings).close();
        } catch (SQLException e) {
            LOGGER.fine("Closing the first connection failed: " + e.getMessage());
        }
    }

    /**
     * Waits for the database, then brings its schema up to date, on the first connection: Flyway runs only when
     * {@link Migrations#isCurrent} finds that the schema is not the packaged one.
     *
     * @param settings  where the database is, how long to wait, whether to migrate
     * @param connected called once the database has answered (start-up timing)
     * @throws IllegalStateException with a one-line reason when the database stayed unreachable
     */
    public static void awaitCurrentSchema(DatabaseSettings settings, Runnable connected) {
        try (Connection connection = awaitConnection(settings)) {
            connected.run();
            if (settings.migrateOnStart() && !Migrations.isCurrent(connection)) {
                Migrations.migrate(settings);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Database " + settings.where() + ": " + DatabaseGuard.rootMessage(e), e);
        }
    }

    private static Connection awaitConnection(DatabaseSettings settings) {
        String where = settings.where();
        long deadline = System.nanoTime() + settings.startupWait().toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                Connection connection = connect(settings);
                LOGGER.info("Database " + where + " reachable (attempt " + attempt + ")");
                return connection;
            } catch (SQLException e) {
                String reason = DatabaseGuard.rootMessage(e);
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new IllegalStateException("Database " + where + " not reachable after "
                            + settings.startupWait().toSeconds() + " s: " + reason);
                }
                Duration next = Duration.ofNanos(Math.min(pause.toNanos(), remaining));
                LOGGER.warning("Database " + where + " not reachable (attempt " + attempt + ", retrying in "
                        + next.toMillis() + " ms): " + reason);
                try {
                    Thread.sleep(next);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the database");
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static Connection connect(DatabaseSettings settings) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        return DriverManager.getConnection(settings.url().jdbcUrl(), properties);
    }
}
