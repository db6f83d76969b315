package dev.todoservice;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

import dev.todoservice.config.AppConfig;
import dev.todoservice.config.Variables;
import dev.todoservice.db.DatabaseSettings;
import dev.todoservice.db.DatabaseStartup;
import dev.todoservice.db.Migrations;
import dev.todoservice.logging.LogSettings;
import dev.todoservice.logging.LogSetup;
import dev.todoservice.logging.ShutdownSafeLogManager;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;

/**
 * Starts todo-service: {@code java -jar todo-service.jar} serves the API; {@code java -jar todo-service.jar migrate}
 * applies the database migrations and exits.
 */
public final class Main {

    private Main() {
    }

    /**
     * Entry point: exits 2 on a usage or configuration error and 1 when start-up fails, each with a one-line reason.
     *
     * @param args empty to serve, or {@code migrate}
     */
    public static void main(String[] args) {
        // Must happen before anything touches java.util.logging.
        System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        Preloading.start();
        try {
            run(Variables.environment(Path.of(".env")), args);
        } catch (StartFailure e) {
            e.report();
            System.exit(e.exitStatus());
        }
    }

    /**
     * Starts the service, or migrates and returns.
     *
     * @param env  environment variables (and {@code .env} values)
     * @param args empty to serve, or {@code migrate}
     * @return the running server, or empty after {@code migrate}
     * @throws StartFailure on a usage or configuration error, or when the database cannot be reached or migrated
     */
    public static Optional<WebServer> run(Map<String, String> env, String[] args) {
        StartupPhases phases = new StartupPhases();
        boolean serve = args.length == 0;
        if (!serve && (args.length > 1 || !args[0].equals("migrate"))) {
            throw StartFailure.usage("usage: todo-service [migrate]");
        }
        Config config = StartFailure.unlessInvalid(() -> AppConfig.load(env));
        Variables variables = StartFailure.unlessInvalid(() -> Variables.of(env, config));
        // Serving reads every setting before it waits for anything; migrating needs only the database and the log.
        Optional<Settings> settings = StartFailure.unlessInvalid(
                () -> serve ? Optional.of(Settings.from(variables)) : Optional.empty());
        DatabaseSettings database = StartFailure.unlessInvalid(
                () -> settings.map(Settings::database).orElseGet(() -> DatabaseSettings.from(variables)));
        LogSetup.configure(StartFailure.unlessInvalid(
                () -> settings.map(Settings::log).orElseGet(() -> LogSettings.from(variables))), System.out);
        Logger log = Logger.getLogger(Main.class.getName());
        log.info("todo-service " + Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse("dev")
                         + (serve ? " starting" : " migrating") + " (ENV=" + variables.environment() + ", database "
                         + database.where() + ")");
        phases.ended("configuration");
        // Wiring needs no database (the pool fills in the background once it answers), so it runs on its own thread
        // while this one waits for the database and checks the schema: start-up uses both of a small host's cores.
        Optional<CompletableFuture<Application>> wiring = settings.map(valid -> CompletableFuture.supplyAsync(
                () -> Application.create(valid, config, Clock.systemUTC()),
                task -> Thread.ofPlatform().name("wiring").start(task)));
        try {
            StartFailure.unlessFailing(() -> prepareDatabase(database, serve, phases));
        } catch (StartFailure e) {
            wiring.ifPresent(pending -> pending.thenAccept(Application::close));
            throw e;
        }
        return wiring.map(pending -> {
            Application app = joined(pending);
            phases.ended("wiring");
            WebServer server = ServerSetup.serve(app, config);
            phases.ended("server");
            log.info(phases.summary());
            return server;
        });
    }

    private static void prepareDatabase(DatabaseSettings database, boolean serve, StartupPhases phases) {
        if (serve) {
            DatabaseStartup.awaitCurrentSchema(database, () -> phases.ended("database"));
        } else {
            // The migrate command (a deployment's step): Flyway in full, validation included.
            DatabaseStartup.awaitDatabase(database);
            Migrations.migrate(database);
        }
        phases.ended("migrations");
    }

    private static Application joined(CompletableFuture<Application> wiring) {
        try {
            return wiring.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
