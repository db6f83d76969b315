package dev.todoservice;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

import dev.todoservice.auth.PasswordHasher;
import dev.todoservice.auth.Throttle;
import dev.todoservice.auth.TokenService;
import dev.todoservice.db.ConnectionPool;
import dev.todoservice.db.DatabaseGuard;
import dev.todoservice.db.DatabaseReadiness;
import dev.todoservice.db.Databases;
import dev.todoservice.todos.TodoRepository;
import dev.todoservice.todos.TodoService;
import dev.todoservice.users.Authenticator;
import dev.todoservice.users.LoginService;
import dev.todoservice.users.UserRepository;
import dev.todoservice.users.UserService;
import dev.todoservice.web.ConnectionDeadlines;
import dev.todoservice.web.DocsService;
import dev.todoservice.web.Drain;
import dev.todoservice.web.HttpSettings;
import dev.todoservice.web.OpenApiDocument;
import dev.todoservice.web.ReadinessGauge;
import dev.todoservice.web.RequestLimits;
import dev.todoservice.web.RootService;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http1.Http1Config;

/**
 * The service's collaborators, wired by hand: database access, security, and the HTTP services of the API.
 *
 * @param settings  validated settings
 * @param database  guarded database access
 * @param readiness the database readiness check
 * @param drain     in-flight requests and shutdown state
 * @param http1     the public listener's HTTP/1.1 settings, with its header and body deadlines
 * @param deadlines the header and body deadlines of public connections
 * @param limits    request limits of the public listener
 * @param services  the HTTP services of the public API, in routing order
 */
public record Application(Settings settings,
                          DatabaseGuard database,
                          DatabaseReadiness readiness,
                          Drain drain,
                          Http1Config http1,
                          ConnectionDeadlines deadlines,
                          RequestLimits limits,
                          List<HttpService> services) {

    /**
     * Wires the application. Does not touch the database: the pool connects on first use.
     *
     * @param settings validated settings
     * @param config   the application configuration (named statements, pool tuning, HTTP/1.1 limits)
     * @param clock    time source for tokens, timestamps and throttling
     * @return the wired application
     */
    public static Application create(Settings settings, Config config, Clock clock) {
        if (settings.tokens().key().generated()) {
            Logger.getLogger(Application.class.getName()).warning(
                    "SECRET_KEY is not set: using a random key, so tokens stop working when the process restarts");
        }
        ConnectionPool pool = ConnectionPool.create(settings.database(), config.get("db.connection"));
        DatabaseGuard database = new DatabaseGuard(Databases.client(pool, config), pool, Databases.statements(config),
                                                   Duration.ofMillis(500));
        DatabaseReadiness readiness = new DatabaseReadiness(database, Duration.ofSeconds(2));

        UserRepository users = new UserRepository(database, clock);
        TodoRepository todos = new TodoRepository(database, clock, settings.todos().quota());
        PasswordHasher hasher = new PasswordHasher(settings.hashing()).withMetric();
        Throttle throttle = new Throttle(settings.throttle(), clock);
        TokenService tokens = new TokenService(settings.tokens(), clock);
        Authenticator authenticator = new Authenticator(tokens, users);
        HttpSettings http = settings.http();

        List<HttpService> services = List.of(
                new RootService(),
                new UserService(users, hasher, authenticator, throttle, settings.users().listPublic()),
                new LoginService(users, hasher, tokens, authenticator, throttle),
                new TodoService(todos, authenticator),
                new DocsService(new OpenApiDocument(http.rootPath()), swaggerUiVersion()));
        ConnectionDeadlines deadlines = new ConnectionDeadlines(http.headerTimeout(), http.bodyTimeout());
        Http1Config http1 = Http1Config.builder()
                .config(config.get("http-1-1"))
                .addReceiveListener(deadlines)
                .build();
        RequestLimits limits = new RequestLimits(http.trustedProxies(), deadlines, http.bodyBufferBytes(),
                                                 Duration.ofSeconds(1));
        Drain drain = new Drain().withMetric();
        ReadinessGauge.register(List.of(readiness, drain::status));
        return new Application(settings, database, readiness, drain, http1, deadlines, limits, services);
    }

    /** Closes what the application holds open: the database pool and the deadline timer. */
    public void close() {
        database.close();
        deadlines.close();
    }

    private static String swaggerUiVersion() {
        try (InputStream in = Application.class.getResourceAsStream(
                "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
