package dev.todoservice;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import dev.todoservice.web.Cors;
import dev.todoservice.web.ErrorHandling;
import dev.todoservice.web.JsonDirectHandler;
import dev.todoservice.web.RequestLogFilter;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckType;
import io.helidon.http.DirectHandler;
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
 * Puts the application on Helidon's server: the listeners of the {@code server} section of {@code application.yaml}
 * (the public one and {@value #ADMIN_SOCKET}), HTTP/1.1 with the request deadlines, JSON error bodies, health and
 * metrics on the admin listener, and the public routing; and takes it off again, gracefully, on shutdown.
 */
public final class ServerSetup {

    /** Name of the listener that serves health and metrics. */
    public static final String ADMIN_SOCKET = "admin";
    private static final HealthCheckType READINESS = HealthCheckType.READINESS;
    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());
    // After the shutdown delay, requests in flight get this long; with the listeners' grace periods (2 s public, 1 s
    // admin, application.yaml) a SIGTERM stop takes at most the delay + 6 s.
    private static final Duration DRAIN_AFTER_DELAY = Duration.ofSeconds(4);

    private ServerSetup() {
    }

    /**
     * Serves an application until the JVM stops: starts the server and stops it gracefully on SIGTERM.
     *
     * @param app    the wired application
     * @param config the application configuration
     * @return the running server
     */
    public static WebServer serve(Application app, Config config) {
        WebServer server = start(config, app);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, app), "graceful-shutdown"));
        LOGGER.info("Listening on http://" + config.get("server.host").asString().orElse("127.0.0.1") + ":"
                            + server.port() + " (API, docs at /docs), admin on http://"
                            + config.get("server.sockets." + ADMIN_SOCKET + ".host").asString().orElse("127.0.0.1")
                            + ":" + server.port(ADMIN_SOCKET) + " (/observe/health, /observe/metrics)");
        return server;
    }

    /**
     * Starts the server.
     *
     * @param config the application configuration
     * @param app    the wired application
     * @return the running server (stopped by the caller; no JVM shutdown hook of Helidon's own)
     */
    public static WebServer start(Config config, Application app) {
        return WebServer.builder()
                .update(builder -> configure(builder, config, app))
                .shutdownHook(false)
                .build()
                .start();
    }

    /**
     * Applies the configuration and the application to a server builder. Tests call this with the builder of
     * Helidon's test harness.
     *
     * @param server the server builder
     * @param config the application configuration, whose {@code server}, {@code http-1-1} and {@code observe}
     *               sections describe the listeners
     * @param app    the wired application
     */
    public static void configure(WebServerConfig.Builder server, Config config, Application app) {
        DirectHandlers.Builder directHandlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            directHandlers.addHandler(type, new JsonDirectHandler());
        }
        server.config(config.get("server"))
                // Set here, not in the server section: HTTP/1.1 only, with the request deadlines attached.
                .protocols(List.of(app.http1()))
                .directHandlers(directHandlers.build())
                .addFeature(ObserveFeature.builder()
                                    .config(config.get("observe"))
                                    .addObserver(HealthObserver.builder()
                                                         .config(config.get("observe.health"))
                                                         .addCheck(app.readiness(), READINESS, "database")
                                                         .addCheck(app.drain()::status, READINESS,
                                                                   "accepting-traffic")
                                                         .build())
                                    .addObserver(MetricsObserver.create())
                                    .build())
                .routing(routing -> routing(routing, app));
    }

    // Request log and metrics, limits, CORS, error bodies, the API services, and closing the pool when the server
    // stops.
    private static void routing(HttpRouting.Builder routing, Application app) {
        routing.addFilter(new RequestLogFilter(app.settings().http().trustedProxies(), app.drain()))
                .addFilter(app.limits())
                .addFilter(new Cors(app.settings().http().corsAllowedOrigins()));
        ErrorHandling.register(routing);
        app.services().forEach(routing::register);
        routing.register(new HttpService() {
            @Override
            public void routing(HttpRules rules) {
                // No routes: registered only to close the pool when the server stops.
            }

            @Override
            public void afterStop() {
                app.close();
                LOGGER.info("Stopped; database pool closed");
            }
        });
    }

    /**
     * Stops the server on SIGTERM: reports not ready and keeps serving until proxies have noticed, lets requests in
     * flight finish, then closes the listeners (idle connections at once) and, through the routing's afterStop, the
     * database pool. Stopping the listeners while a proxy still sends would break requests it already wrote to a
     * kept-alive connection.
     *
     * @param server the running server
     * @param app    the application it serves
     */
    static void stop(WebServer server, Application app) {
        Duration delay = app.settings().http().shutdownDelay();
        Duration timeout = delay.plus(DRAIN_AFTER_DELAY);
        LOGGER.info("Shutdown requested: not ready, serving for " + delay.toSeconds() + " s so proxies stop sending,"
                            + " then draining requests in flight (up to " + timeout.toSeconds() + " s in all)");
        int left = app.drain().awaitIdle(delay, timeout);
        if (left > 0) {
            LOGGER.warning(left + " request(s) still in flight after " + timeout.toSeconds() + " s; stopping anyway");
        }
        server.stop();
    }
}
