package dev.todoservice.testing;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import dev.todoservice.Application;
import dev.todoservice.Main;
import dev.todoservice.config.Settings;
import dev.todoservice.logging.LogSetup;
import io.helidon.webserver.WebServerConfig;

/**
 * Starts the real wiring on a test server: a fresh migrated database, test settings, and the given clock.
 *
 * @param application the wired application
 * @param database    name of the test's own database
 */
public record TestApp(Application application, String database) {

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
     * Sets up a server.
     *
     * @param server    the server builder from {@code @SetUpServer}
     * @param overrides environment variables to change
     * @param clock     time source for tokens and timestamps
     * @return the app
     */
    public static TestApp setup(WebServerConfig.Builder server, Map<String, String> overrides, Clock clock) {
        TestDatabase databases = TestDatabase.get();
        String database = databases.createDatabase();
        return new TestApp(setup(server, databases.settings(database, overrides), clock), database);
    }

    /**
     * Sets up a server with given settings.
     *
     * @param server   the server builder from {@code @SetUpServer}
     * @param settings the settings
     * @param clock    time source
     * @return the wired application
     */
    public static Application setup(WebServerConfig.Builder server, Settings settings, Clock clock) {
        // The service's own text logs, warnings and up: a failing test shows the server-side cause.
        LogSetup.configure(Level.WARNING, false);
        Application application = Application.create(settings, TestDatabase.config(), clock);
        // The test harness adds the service registry's features, among them helidon-webserver-cors answering every
        // origin; the real server has only those Main adds.
        server.features(List.of());
        Main.setup(server, application);
        return application;
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
     * Reads one value from this app's database.
     *
     * @param sql a query returning one row and column
     * @return the value as text
     */
    public String query(String sql) {
        return TestDatabase.get().queryIn(database, sql);
    }
}
