package dev.todoservice.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;

import dev.todoservice.config.Settings;

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
    public static void awaitDatabase(Settings settings) {
        String where = settings.database().host() + "/" + settings.database().database();
        long deadline = System.nanoTime() + settings.dbWait().toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try (Connection ignored = connect(settings)) {
                LOGGER.info("Database " + where + " reachable (attempt " + attempt + ")");
                return;
            } catch (SQLException e) {
                String reason = DatabaseGuard.rootMessage(e);
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new IllegalStateException("Database " + where + " not reachable after "
                            + settings.dbWait().toSeconds() + " s: " + reason);
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

    private static Connection connect(Settings settings) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.databaseUser());
        properties.setProperty("password", settings.databasePassword());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        return DriverManager.getConnection(settings.database().jdbcUrl(), properties);
    }
}
