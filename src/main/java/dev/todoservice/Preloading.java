package dev.todoservice;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.todoservice.json.Json;
import io.helidon.metrics.api.Metrics;

/**
 * Initialises, on a thread of its own while {@code main} reads the configuration, what start-up needs next and what
 * needs no configuration: the JSON mapper (the first log line), the PostgreSQL driver (the first connection) and
 * Helidon's metrics registry (the pool's meters, the metrics endpoint). The JVM runs each class initialiser once;
 * whichever thread comes second waits for it, so nothing runs twice and nothing runs in a different order than the
 * code that needs it would see.
 */
final class Preloading {

    private Preloading() {
    }

    /** Starts the preloading thread; start-up does not wait for it. */
    static void start() {
        Thread.ofPlatform().daemon().name("preload").start(() -> {
            try {
                Json.bytes(Map.of());
                Class.forName("org.postgresql.Driver");
                Metrics.globalRegistry();
            } catch (ClassNotFoundException | RuntimeException e) {
                // Whoever needs it next initialises it and reports what fails.
                Logger.getLogger(Preloading.class.getName()).log(Level.FINE, "Preloading stopped", e);
            }
        });
    }
}
