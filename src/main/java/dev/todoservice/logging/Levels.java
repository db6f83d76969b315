package dev.todoservice.logging;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** What both formatters share: level names operators know, and the fields of structured records. */
final class Levels {

    private Levels() {
    }

    static String name(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.INFO.intValue()) {
            return "INFO";
        }
        return value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length == 1 && parameters[0] instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        return Map.of();
    }
}
