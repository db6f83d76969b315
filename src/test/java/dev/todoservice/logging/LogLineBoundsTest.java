package dev.todoservice.logging;

import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;

/** A log line stays small whatever a client made the service log: messages, fields and stack traces are capped. */
class LogLineBoundsTest {

    private static final String HUGE = "x".repeat(4 << 20);

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void aHugeMessageIsCut(String format) {
        String line = formatter(format).format(new LogRecord(Level.SEVERE, HUGE));
        assertThat(line.length(), lessThan(Levels.MAX_MESSAGE + 1024));
        assertThat(line, containsString((HUGE.length() - Levels.MAX_MESSAGE) + " more characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void aHugeExceptionMessageIsCutInTheStackTrace(String format) {
        LogRecord record = new LogRecord(Level.SEVERE, "failed");
        record.setThrown(new NumberFormatException("For input string: \"2;" + HUGE + "\""));
        String line = formatter(format).format(record);
        assertThat(line.length(), lessThan(Levels.MAX_TRACE + 1024));
        assertThat(line, containsString("more characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void aHugeFieldOfAStructuredRecordIsCut(String format) {
        LogRecord record = new LogRecord(Level.INFO, "request");
        record.setParameters(new Object[] {Map.of("user_agent", HUGE, "status", 200)});
        String line = formatter(format).format(record);
        assertThat(line.length(), lessThan(Levels.MAX_FIELD + 1024));
        assertThat(line, containsString("200"));
    }

    private static Formatter formatter(String format) {
        return format.equals("json") ? new JsonFormatter() : new TextFormatter();
    }
}
