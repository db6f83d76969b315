package dev.todoservice;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

import dev.todoservice.config.Settings;
import dev.todoservice.db.DatabaseStartup;
import dev.todoservice.db.Migrations;
import dev.todoservice.logging.LogSetup;
import dev.todoservice.logging.ShutdownSafeLogManager;
import dev.todoservice.web.Cors;
import dev.todoservice.web.ErrorHandling;
import dev.todoservice.web.JsonDirectHandler;
import dev.todoservice.web.RequestLogFilter;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import io.helidon.cors.CrossOriginConfig;
import io.helidon.http.DirectHandler;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * Starts todo-service: {@code java -jar todo-service.jar} serves the API; {@code java -jar todo-service.jar migrate}
 * applies the database migrations and exits.
 */
public final class Main {

    /** Name of the listener that serves health and metrics. */
    public static final String ADMIN_SOCKET = "admin";
    // After the shutdown delay, requests in flight get this long; with the listeners' grace periods (2 s public, 1 s
    // admin) a SIGTERM stop takes at most the delay + 6 s.
    private static final Duration DRAIN_AFTER_DELAY = Duration.ofSeconds(4);

    private Main() {
    }

    /**
     * Entry point.
     *
     * @param args empty to serve, or {@code migrate}
     */
    public static void main(String[] args) {
        // Must happen before anything touches java.util.logging.
        System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        run(Settings.environment(Path.of(".env")), args);
    }

    /**
     * Starts the service, or migrates and returns, with the given environment; exits the process on a
     * configuration or start-up error.
     *
     * @param env  environment variables (and {@code .env} values)
     * @param args empty to serve, or {@code migrate}
     * @return the running server, or null after {@code migrate}
     */
    public static WebServer run(Map<String, String> env, String[] args) {
        if (args.length > 1 || (args.length == 1 && !args[0].equals("migrate"))) {
            System.err.println("usage: todo-service [migrate]");
            System.exit(2);
        }
        Config config = Config.just(ConfigSources.create(EnvironmentVariables.expand(env)),
                                    ConfigSources.systemProperties(),
                                    ConfigSources.classpath("application.yaml"));
        boolean migrateOnly = args.length == 1;
        Settings settings;
        try {
            settings = Settings.load(env, config, !migrateOnly);
        } catch (IllegalArgumentException e) {
            System.err.println("todo-service: configuration error: " + e.getMessage());
            System.exit(2);
            return null;
        }
        LogSetup.configure(settings.logLevel(), settings.jsonLogs());
        Logger log = Logger.getLogger(Main.class.getName());
        log.info("todo-service " + version() + (migrateOnly ? " migrating" : " starting") + " (ENV="
                         + settings.environment().name().toLowerCase(Locale.ROOT) + ", database "
                         + settings.database().host() + "/" + settings.database().database() + ")");
        if (settings.secretGenerated() && !migrateOnly) {
            log.warning("SECRET_KEY is not set: using a random key, so tokens stop working when the process restarts");
        }
        try {
            DatabaseStartup.awaitDatabase(settings);
            if (migrateOnly || settings.migrateOnStart()) {
                Migrations.migrate(settings);
            }
        } catch (RuntimeException e) {
            log.severe("Start-up failed: " + e.getMessage());
            System.exit(1);
            return null;
        }
        if (migrateOnly) {
            return null;
        }

        Application app = Application.create(settings, config, Clock.systemUTC());
        WebServer server = start(config, app);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, app, log), "graceful-shutdown"));
        log.info("Listening on http://" + config.get("server.host").asString().orElse("127.0.0.1") + ":" + server.port()
                         + " (API, docs at /docs), admin on http://" + settings.adminHost() + ":"
                         + server.port(ADMIN_SOCKET) + " (/observe/health, /observe/metrics)");
        return server;
    }

    // SIGTERM: report not ready and keep serving until proxies have noticed, let requests in flight finish, then close
    // the listeners (idle connections at once) and, through the routing's afterStop, the database pool. Stopping the
    // listeners while a proxy still sends would break requests it already wrote to a kept-alive connection.
    private static void stop(WebServer server, Application app, Logger log) {
        Duration delay = app.settings().shutdownDelay();
        Duration timeout = delay.plus(DRAIN_AFTER_DELAY);
        log.info("Shutdown requested: not ready, serving for " + delay.toSeconds() + " s so proxies stop sending, then"
                         + " draining requests in flight (up to " + timeout.toSeconds() + " s in all)");
        int left = app.drain().awaitIdle(delay, timeout);
        if (left > 0) {
            log.warning(left + " request(s) still in flight after " + timeout.toSeconds() + " s; stopping anyway");
        }
        server.stop();
    }

    /**
     * Starts the server: the {@code server} section of the configuration, then the application's listeners, protocol
     * and routing.
     *
     * @param config the application configuration
     * @param app    the wired application
     * @return the running server (stopped by the caller; no JVM shutdown hook of Helidon's own)
     */
    public static WebServer start(Config config, Application app) {
        return WebServer.builder()
                .config(config.get("server"))
                .update(builder -> setup(builder, app))
                .shutdownHook(false)
                .build()
                .start();
    }

    /**
     * Applies the application to a server: ports, the admin listener, error bodies, observability, OpenAPI and
     * routing. Tests call this with their own settings, database and clock.
     *
     * @param server the server builder
     * @param app    the wired application
     */
    public static void setup(WebServerConfig.Builder server, Application app) {
        DirectHandlers.Builder directHandlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            directHandlers.addHandler(type, new JsonDirectHandler());
        }
        server.port(app.settings().port())
                .protocols(List.of(app.http1()))
                .directHandlers(directHandlers.build())
                .putSocket(ADMIN_SOCKET, ListenerConfig.builder()
                        .host(app.settings().adminHost())
                        .port(app.settings().adminPort())
                        .shutdownGracePeriod(Duration.ofSeconds(1))
                        .maxTcpConnections(64)
                        .build())
                .addFeature(ObserveFeature.builder()
                                    .sockets(List.of(ADMIN_SOCKET))
                                    .addObserver(HealthObserver.builder()
                                                         .details(true)
                                                         .addCheck(app.readiness())
                                                         .addCheck(app.drain())
                                                         .build())
                                    .addObserver(MetricsObserver.create())
                                    .build())
                // Helidon's default CORS for /openapi answers any origin; the documentation is same-origin (web/Cors).
                .addFeature(OpenApiFeature.builder().manager(app.openApi())
                                    .cors(CrossOriginConfig.builder().enabled(false).build()).build())
                .routing(routing -> routing(routing, app));
    }

    /**
     * The public routing: request log and metrics, CORS, error bodies, the API services, and closing the pool when the
     * server stops.
     *
     * @param routing the routing builder
     * @param app     the wired application
     */
    public static void routing(HttpRouting.Builder routing, Application app) {
        routing.addFilter(new RequestLogFilter(app.settings().trustedProxies(), app.drain()))
                .addFilter(app.limits())
                .addFilter(new Cors(app.settings().corsAllowedOrigins()));
        ErrorHandling.register(routing);
        app.services().forEach(routing::register);
        routing.register(new HttpService() {
            @Override
            public void routing(HttpRules rules) {
                // No routes: registered only to close the pool when the server stops.
            }

            @Override
            public void afterStop() {
                app.database().close();
                app.deadlines().close();
                Logger.getLogger(Main.class.getName()).info("Stopped; database pool closed");
            }
        });
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
