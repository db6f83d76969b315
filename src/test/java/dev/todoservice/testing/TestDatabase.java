package dev.todoservice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.todoservice.Settings;
import dev.todoservice.config.AppConfig;
import dev.todoservice.config.DatabaseUrl;
import dev.todoservice.config.Variables;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for tests: the one {@code TEST_DATABASE_URL} (or {@code DATABASE_URL}) points at, or an embedded
 * PostgreSQL 17 started once per JVM. Each caller gets a fresh database cloned from a template migrated once, so test
 * classes never see each other's rows.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final String adminUrl;
    private final String host;
    private final String user;
    private final String password;
    private final String template;
    private final List<String> created = new ArrayList<>();

    private TestDatabase(String adminUrl, String host, String user, String password) {
        this.adminUrl = adminUrl;
        this.host = host;
        this.user = user;
        this.password = password;
        this.template = "todo_template_" + suffix();
        execute("CREATE DATABASE " + template);
        created.add(template);
        dev.todoservice.db.Migrations.migrate(settings(template, Map.of()).database());
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropAll, "test-database-cleanup"));
    }

    /**
     * The shared server, started or connected on first use.
     *
     * @return the test database server
     */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            Optional<String> external = Optional.ofNullable(System.getenv("TEST_DATABASE_URL"))
                    .or(() -> Optional.ofNullable(System.getenv("DATABASE_URL")))
                    .filter(s -> !s.isBlank());
            if (external.isPresent()) {
                DatabaseUrl url = DatabaseUrl.parse(external.get());
                String user = url.user().orElse(Objects.requireNonNullElse(System.getenv("DATABASE_USER"), "postgres"));
                String password = url.password().orElse(Objects.requireNonNullElse(System.getenv("DATABASE_PASSWORD"),
                                                                                   ""));
                instance = new TestDatabase(url.jdbcUrl(), url.host(), user, password);
            } else {
                EmbeddedPostgres postgres = startEmbedded();
                instance = new TestDatabase(postgres.getJdbcUrl("postgres", "postgres"),
                                            "localhost:" + postgres.getPort(), "postgres", "");
            }
        }
        return instance;
    }

    /**
     * Creates a fresh, migrated database.
     *
     * @return its name
     */
    public synchronized String createDatabase() {
        String name = "todo_test_" + suffix();
        execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        created.add(name);
        return name;
    }

    /**
     * Creates an empty database, for migration tests.
     *
     * @return its name
     */
    public synchronized String createEmptyDatabase() {
        String name = "todo_empty_" + suffix();
        execute("CREATE DATABASE " + name);
        created.add(name);
        return name;
    }

    /**
     * Host and port of the server.
     *
     * @return {@code host:port}
     */
    public String host() {
        return host;
    }

    /**
     * Settings for the service against one database, with test defaults that {@code overrides} may replace.
     *
     * @param database  database name
     * @param overrides environment variables to set
     * @return validated settings
     */
    public Settings settings(String database, Map<String, String> overrides) {
        Map<String, String> env = environment(database, overrides);
        return Settings.from(Variables.of(env, AppConfig.load(env)));
    }

    /**
     * The environment of the service against one database: test defaults that {@code overrides} may replace.
     *
     * @param database  database name
     * @param overrides environment variables to set
     * @return the variables
     */
    public Map<String, String> environment(String database, Map<String, String> overrides) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "ENV", "testing",
                "PORT", "0",
                "ADMIN_PORT", "0",
                "DATABASE_URL", "postgresql://" + host + "/" + database,
                "DATABASE_USER", user,
                "DATABASE_PASSWORD", password,
                "SECRET_KEY", "test-secret-key-that-is-at-least-32-bytes-long",
                "MIGRATE_ON_START", "false",
                "DB_WAIT_SECONDS", "5"));
        // Test classes sign up and log in many accounts from one address; throttling has tests of its own.
        env.put("THROTTLE_IP_PER_MINUTE", "1000000");
        env.put("THROTTLE_ACCOUNT_PER_MINUTE", "1000000");
        env.putAll(overrides);
        return env;
    }

    /**
     * The application configuration as the service loads it, without the process environment.
     *
     * @return the configuration
     */
    public static Config config() {
        return Config.just(ConfigSources.classpath("application.yaml"));
    }

    /**
     * Runs SQL as the administrative user against a database, for tests that reach under the API.
     *
     * @param database database name
     * @param sql      the statement
     */
    public void executeIn(String database, String sql) {
        try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Reads one value as the administrative user.
     *
     * @param database database name
     * @param sql      a query returning one row and column
     * @return the value as text
     */
    public String queryIn(String database, String sql) {
        try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
             Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new IllegalStateException("No row: " + sql);
            }
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Opens a connection as the administrative user, for tests that hold locks or transactions open.
     *
     * @param database database name
     * @return the connection; the caller closes it
     */
    public Connection connect(String database) {
        try {
            return DriverManager.getConnection(urlOf(database), user, password);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + database, e);
        }
    }

    private String urlOf(String database) {
        return adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private synchronized void dropAll() {
        for (String name : created.reversed()) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException ignored) {
                // Best effort: an embedded server is thrown away anyway.
            }
        }
    }

    private static EmbeddedPostgres startEmbedded() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
        }
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
