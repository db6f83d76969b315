package dev.todoservice.db;

import java.util.Map;

import dev.todoservice.config.Settings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;

/**
 * Builds the database client: statements, pool tuning and metrics from the {@code db} section of
 * {@code application.yaml}; location, credentials and pool size from {@link Settings}.
 */
public final class Databases {

    private Databases() {
    }

    /**
     * Creates a pooled client. The pool connects lazily, so this does not fail when the database is down.
     *
     * @param settings where the database is
     * @param config   the application configuration
     * @return the client
     */
    public static DbClient client(Settings settings, Config config) {
        Map<String, String> connection = Map.of(
                "db.connection.url", settings.database().jdbcUrl(),
                "db.connection.username", settings.databaseUser(),
                "db.connection.password", settings.databasePassword(),
                "db.connection.maximumPoolSize", Integer.toString(settings.dbPoolSize()),
                "db.connection.minimumIdle", Integer.toString(Math.min(2, settings.dbPoolSize())));
        // The first source wins: settings override whatever the file says about the connection.
        Config merged = Config.just(ConfigSources.create(connection), ConfigSources.create(config));
        return DbClient.create(merged.get("db"));
    }
}
