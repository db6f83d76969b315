package dev.todoservice.logging;

import java.util.Locale;
import java.util.logging.Level;

import dev.todoservice.config.AppEnvironment;
import dev.todoservice.config.Variables;

/**
 * What the service logs and how: {@code LOG_LEVEL} and {@code LOG_FORMAT} (JSON lines, but text in development).
 *
 * @param level  level of the service's own loggers; libraries log at INFO or above
 * @param format how each line is written
 */
public record LogSettings(Level level, Format format) {

    /** How a log line is written. */
    public enum Format {
        /** One JSON object per line, for collectors. */
        JSON,
        /** Human-readable lines, for a terminal. */
        TEXT
    }

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static LogSettings from(Variables variables) {
        String format = variables.optional("LOG_FORMAT")
                .orElse(variables.environment() == AppEnvironment.DEVELOPMENT ? "text" : "json")
                .toLowerCase(Locale.ROOT);
        Format parsed = switch (format) {
            case "json" -> Format.JSON;
            case "text" -> Format.TEXT;
            default -> throw new IllegalArgumentException("LOG_FORMAT must be json or text, not " + format);
        };
        return new LogSettings(level(variables.required("LOG_LEVEL")), parsed);
    }

    private static Level level(String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "TRACE", "FINEST" -> Level.FINEST;
            case "DEBUG", "FINE" -> Level.FINE;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARNING;
            case "ERROR", "SEVERE", "CRITICAL" -> Level.SEVERE;
            default -> throw new IllegalArgumentException(
                    "LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARNING, ERROR, not '" + value + "'");
        };
    }
}
