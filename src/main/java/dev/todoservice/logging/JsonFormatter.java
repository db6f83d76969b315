package dev.todoservice.logging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import dev.todoservice.json.Json;


/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code msg}, the fields of a structured
 * record (a {@code Map} as its only parameter), and {@code error} with the stack trace when there is one.
 */
public final class JsonFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.ofEpochMilli(record.getMillis()).toString());
        line.put("level", Levels.name(record.getLevel()));
        line.put("logger", record.getLoggerName());
        line.put("msg", Levels.message(this, record));
        Levels.fields(record).forEach(line::putIfAbsent);
        line.put("thread", Thread.currentThread().getName());
        if (record.getThrown() != null) {
            line.put("error", Levels.trace(record.getThrown()));
        }
        return new String(Json.bytes(line), StandardCharsets.UTF_8) + System.lineSeparator();
    }
}
