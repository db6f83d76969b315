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

    private Migrations() {
    }

    /**
     * Migrates the database to the latest version.
     *
     * @param settings where the database is
     * @return the number of migrations applied by this call
     */
    public static int migrate(DatabaseSettings settings) {
        MigrateResult result = Flyway.configure()
                .dataSource(settings.url().jdbcUrl(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .validateMigrationNaming(true)
                .load()
                .migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion;
        LOGGER.info("Migrations applied: " + result.migrationsExecuted + ", schema version " + version);
        return result.migrationsExecuted;
    }
}
