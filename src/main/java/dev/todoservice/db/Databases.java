package dev.todoservice.db;

import java.util.Map;
import java.util.stream.Collectors;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbStatements;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;

/**
 * Builds the database client: the named statements of the {@code db} section of {@code application.yaml}, timed,
 * over the given pool.
 */
public final class Databases {

    private Databases() {
    }

    /**
     * Creates the client. It closes the pool when it is closed.
     *
     * @param pool   where connections come from
     * @param config the application configuration
     * @return the client
     */
    public static DbClient client(ConnectionPool pool, Config config) {
        return JdbcClientBuilder.create()
                .statements(DbStatements.create(config.get("db.statements")))
                .connectionPool(pool)
                .addService(new StatementTimers())
                .build();
    }

    /**
     * The named statements of the {@code db} section, parsed once into positional form.
     *
     * @param config the application configuration
     * @return the statements by name
     */
    public static Map<String, Statement> statements(Config config) {
        return config.get("db.statements").detach().asMap().orElseGet(Map::of).entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                                                      e -> Statement.parse(e.getKey(), e.getValue())));
    }
}
