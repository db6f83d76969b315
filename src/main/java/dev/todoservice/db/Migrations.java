package dev.todoservice.db;

import java.util.logging.Logger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations in {@code db/migration}. Flyway holds a PostgreSQL advisory lock while it migrates,
 * so instances starting together apply each migration exactly once.
 */
public final class Migrations {

    private static final Logger LOGGER = Logger.getLogger(Migrations.class.getName());
    private static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /**
     * Migrates the database to the latest version.
     *
     * @param settings where the database is
     * @return the number of migrations applied by this call
     */
    public static int migrate(DatabaseSettings settings) {
        return migrate(settings, LOCATION);
    }

    // Each migration runs in its own transaction (PostgreSQL has transactional DDL): one that fails leaves the
    // database exactly as the previous one left it, and is not recorded. Tests add locations with failing migrations.
    static int migrate(DatabaseSettings settings, String... locations) {
        MigrateResult result = Flyway.configure()
                .dataSource(settings.url().jdbcUrl(), settings.user(), settings.password())
                .locations(locations)
                .validateMigrationNaming(true)
                .load()
                .migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion;
        LOGGER.info("Migrations applied: " + result.migrationsExecuted + ", schema version " + version);
        return result.migrationsExecuted;
    }
}
