package dev.todoservice.logging;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * What both formatters share: level names operators know, the fields of structured records, and bounds on what one
 * line may hold, so that no client-chosen text (a huge header, an exception message quoting a request) can make a
 * log line, or the memory to build it, grow without limit.
 */
final class Levels {

    /** Longest message, in characters. */
    static final int MAX_MESSAGE = 8192;
    /** Longest value of a structured field. */
    static final int MAX_FIELD = 2048;
    /** Longest stack trace. */
    static final int MAX_TRACE = 16384;

    private Levels() {
    }

    static String message(Formatter formatter, LogRecord record) {
        return bounded(formatter.formatMessage(record), MAX_MESSAGE);
    }

    static String trace(Throwable thrown) {
        BoundedWriter trace = new BoundedWriter(MAX_TRACE);
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    static String bounded(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
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

    static Map<String, Object> fields(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (parameters == null || parameters.length != 1 || !(parameters[0] instanceof Map<?, ?> map)) {
            return Map.of();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        map.forEach((key, value) -> fields.put(String.valueOf(key),
                                               value instanceof String text ? bounded(text, MAX_FIELD) : value));
        return fields;
    }

    /** Keeps the first characters written and counts the rest. */
    private static final class BoundedWriter extends Writer {

        private final StringBuilder kept = new StringBuilder();
        private final int max;
        private long dropped;

        BoundedWriter(int max) {
            this.max = max;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            int room = Math.max(0, Math.min(length, max - kept.length()));
            kept.append(buffer, offset, room);
            dropped += length - room;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return dropped == 0 ? kept.toString() : kept + "... (" + dropped + " more characters)";
        }
    }
}
