package dev.todoservice.logging;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.todoservice.testing.Await;
import dev.todoservice.testing.TestApp;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/** Access lines never wait for the log output; what a stalled output cannot take is dropped and counted. */
class AccessLogTest {

    private static final Logger ACCESS = Logger.getLogger(LogSetup.ACCESS_LOGGER);
    private static final Pattern DROPPED = Pattern.compile("(\\d+) access log line\\(s\\) dropped");
    private static final Logger OTHER = Logger.getLogger(AccessLogTest.class.getName());

    @Test
    void accessLinesWaitForNoOutputAndTheDroppedOnesAreCounted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream output = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LogSetup.configure(new LogSettings(Level.INFO, LogSettings.Format.JSON), output);
        try {
            int published;
            synchronized (output) {
                // The output is stalled (this thread holds it): 4,000 lines of about 2 KB each still go through
                // at once, the ones beyond the buffer dropped.
                for (published = 0; published < 4000; published++) {
                    access("x".repeat(2000) + published);
                }
            }
            OTHER.warning("after the access lines");
            int total = published;
            Await.until("every access line written or counted as dropped", Duration.ofSeconds(10),
                        () -> written(bytes) + dropped(bytes) == total);
            String log = bytes.toString(StandardCharsets.UTF_8);
            assertThat(log.indexOf("dropped") < log.indexOf("after the access lines"), is(true));
            assertThat(written(bytes) > 1000 && dropped(bytes) > 0, is(true));
        } finally {
            LogSetup.configure(TestApp.QUIET, System.out);
        }
    }

    @Test
    void anAccessLineIsWrittenWithoutAnyOtherRecordToPushIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogSetup.configure(new LogSettings(Level.INFO, LogSettings.Format.JSON),
                           new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            access("alone");
            Await.until("the access line", Duration.ofSeconds(10),
                        () -> bytes.toString(StandardCharsets.UTF_8).contains("alone"));
            assertThat(bytes.toString(StandardCharsets.UTF_8), matchesPattern("(?s)\\{.*\"path\":\"alone\".*}\\R"));
        } finally {
            LogSetup.configure(TestApp.QUIET, System.out);
        }
    }

    private static int written(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).split("\"msg\":\"request\"", -1).length - 1;
    }

    private static int dropped(ByteArrayOutputStream bytes) {
        Matcher count = DROPPED.matcher(bytes.toString(StandardCharsets.UTF_8));
        return count.find() ? Integer.parseInt(count.group(1)) : 0;
    }

    private static void access(String path) {
        LogRecord record = new LogRecord(Level.INFO, "request");
        record.setLoggerName(LogSetup.ACCESS_LOGGER);
        record.setParameters(new Object[] {Map.of("path", path)});
        ACCESS.log(record);
    }
}
