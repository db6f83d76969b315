package dev.todoservice.config;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;

/**
 * The application configuration: {@code application.yaml}, overridden by system properties and by environment
 * variables through Helidon's mapping ({@code SERVER_HOST} is {@code server.host}). The listeners' ports and the admin
 * address keep their short names: {@code PORT}, {@code ADMIN_PORT} and {@code ADMIN_HOST}.
 */
public final class AppConfig {

    private static final Map<String, String> LISTENER_VARIABLES = Map.of(
            "PORT", "server.port",
            "ADMIN_PORT", "server.sockets.admin.port",
            "ADMIN_HOST", "server.sockets.admin.host");

    private AppConfig() {
    }

    /**
     * Loads the configuration.
     *
     * @param env environment variables merged with {@code .env}
     * @return the configuration
     * @throws IllegalArgumentException when a port is not a port, naming its variable
     */
    public static Config load(Map<String, String> env) {
        return Config.just(ConfigSources.create(listeners(env)),
                           ConfigSources.create(EnvironmentVariables.expand(env)),
                           ConfigSources.systemProperties(),
                           ConfigSources.classpath("application.yaml"));
    }

    private static Map<String, String> listeners(Map<String, String> env) {
        Map<String, String> keys = new HashMap<>();
        LISTENER_VARIABLES.forEach((variable, key) -> {
            String value = env.getOrDefault(variable, "").strip();
            if (!value.isEmpty()) {
                keys.put(key, variable.endsWith("PORT") ? port(variable, value) : value);
            }
        });
        return keys;
    }

    private static String port(String variable, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return Integer.toString(port);
            }
        } catch (NumberFormatException e) {
            // Reported below, with the variable's name.
        }
        throw new IllegalArgumentException(variable + " must be a port between 0 and 65535, not '" + value + "'");
    }
}
