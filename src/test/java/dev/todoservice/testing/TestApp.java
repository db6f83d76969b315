package dev.todoservice.testing;

import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import dev.todoservice.Application;
import dev.todoservice.ServerSetup;
import dev.todoservice.Settings;
import dev.todoservice.config.AppConfig;
import dev.todoservice.config.Variables;
import dev.todoservice.logging.LogSettings;
import dev.todoservice.logging.LogSetup;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * Starts the real wiring on a test server: a fresh migrated database, test settings, and the given clock.
 *
 * @param application the wired application
 * @param database    name of the test's own database
 */
public record TestApp(Application application, String database) {

    /** The service's own text logs, warnings and up: a failing test shows the server-side cause. */
    public static final LogSettings QUIET = new LogSettings(Level.WARNING, LogSettings.Format.TEXT);

    /**
     * Sets up a server with default test settings and the system clock.
     *
     * @param server the server builder from {@code @SetUpServer}
     * @return the app
     */
    public static TestApp setup(WebServerConfig.Builder server) {
        return setup(server, Map.of(), Clock.systemUTC());
    }

    /**
     * Sets up a server against a fresh database.
     *
     * @param server    the server builder from {@code @SetUpServer}
     * @param overrides environment variables to change
     * @param clock     time source for tokens and timestamps
     * @return the app
     */
    public static TestApp setup(WebServerConfig.Builder server, Map<String, String> overrides, Clock clock) {
        return setup(server, TestDatabase.get().createDatabase(), overrides, clock);
    }

    /**
     * Sets up a server against a given database, e.g. one reached through a proxy the test cuts.
     *
     * @param server    the server builder from {@code @SetUpServer}
     * @param database  the database's name
     * @param overrides environment variables to change
     * @param clock     time source
     * @return the app
     */
    public static TestApp setup(WebServerConfig.Builder server, String database, Map<String, String> overrides,
                                Clock clock) {
        Map<String, String> env = TestDatabase.get().environment(database, overrides);
        Config config = AppConfig.load(env);
        LogSetup.configure(QUIET, System.out);
        Application application = Application.create(Settings.from(Variables.of(env, config)), config, clock);
        // The test harness adds the service registry's features, among them helidon-webserver-cors answering every
        // origin; the real server has only those ServerSetup adds.
        server.features(List.of());
        ServerSetup.configure(server, config, application);
        return new TestApp(application, database);
    }

    /**
     * Starts the server the way {@code Main} does (test harnesses that copy the builder would duplicate its protocol),
     * against a fresh database.
     *
     * @param settingOverrides environment variables to change
     * @param configOverrides  configuration keys to change, e.g. {@code server.idle-connection-timeout}
     * @return the app and its running server, to stop after the tests
     */
    public static Running start(Map<String, String> settingOverrides, Map<String, String> configOverrides) {
        String database = TestDatabase.get().createDatabase();
        Map<String, String> env = TestDatabase.get().environment(database, settingOverrides);
        Config config = Config.just(ConfigSources.create(configOverrides), ConfigSources.create(AppConfig.load(env)));
        LogSetup.configure(QUIET, System.out);
        Application application = Application.create(Settings.from(Variables.of(env, config)), config,
                                                     Clock.systemUTC());
        return new Running(new TestApp(application, database), ServerSetup.start(config, application));
    }

    /**
     * A started app.
     *
     * @param app    the app
     * @param server its server
     */
    public record Running(TestApp app, WebServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
        }
    }

    /**
     * Runs SQL in this app's database as the administrative user.
     *
     * @param sql the statement
     */
    public void sql(String sql) {
        TestDatabase.get().executeIn(database, sql);
    }

    /**
     * Opens an administrative connection to this app's database, e.g. to hold a lock while the app works.
     *
     * @return the connection; the caller closes it
     */
    public Connection connection() {
        return TestDatabase.get().connect(database);
    }

    /**
     * Reads one value from this app's database.
     *
     * @param sql a query returning one row and column
     * @return the value as text
     */
    public String query(String sql) {
        return TestDatabase.get().queryIn(database, sql);
    }
}
