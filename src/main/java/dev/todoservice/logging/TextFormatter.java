package dev.todoservice.logging;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Human-readable lines for development: time, level, short logger name, message and structured fields.
 */
public final class TextFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128)
                .append(TIME.format(LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
                .append(' ')
                .append(String.format("%-5s", Levels.name(record.getLevel())))
                .append(' ')
                .append(shortName(record.getLoggerName()))
                .append(": ")
                .append(Levels.message(this, record));
        Levels.fields(record).forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        line.append(System.lineSeparator());
        if (record.getThrown() != null) {
            line.append(Levels.trace(record.getThrown()));
        }
        return line.toString();
    }

    private static String shortName(String logger) {
        if (logger == null) {
            return "";
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
