package dev.todoservice.logging;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes all java.util.logging output (the service's, Helidon's, and through SLF4J Hikari's and Flyway's) to one
 * stdout handler, as JSON lines or as text.
 * <p>
 * {@code LOG_LEVEL} below INFO applies to the service's own loggers only: the libraries' debug output dumps wire
 * data (Helidon logs raw request headers and bodies, so bearer tokens and passwords) and connection properties.
 */
public final class LogSetup {

    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final Logger APP = Logger.getLogger("dev.todoservice");
    private static final Logger HELIDON_CORS = Logger.getLogger("io.helidon.cors");

    private LogSetup() {
    }

    /**
     * Replaces the root handlers with one writing to a stream.
     *
     * @param settings the level of the service's loggers (libraries log at INFO or above) and the line format
     * @param out      where lines go: stdout, or a test's buffer
     */
    public static void configure(LogSettings settings, PrintStream out) {
        Level level = settings.level();
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
        Formatter formatter = settings.format() == LogSettings.Format.JSON ? new JsonFormatter() : new TextFormatter();
        root.addHandler(new StdoutHandler(formatter, out));
        APP.setLevel(level);
        // Helidon logs its full OpenAPI CORS set-up at INFO on every start.
        HELIDON_CORS.setLevel(Level.WARNING);
    }

    /** Writes each record as one line and flushes, so container log collectors see it at once. */
    private static final class StdoutHandler extends Handler {

        private final PrintStream out;

        StdoutHandler(Formatter formatter, PrintStream out) {
            this.out = out;
            setFormatter(formatter);
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                String line = getFormatter().format(record);
                synchronized (out) {
                    out.print(line);
                    out.flush();
                }
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            // stdout belongs to the process; the last shutdown lines must still get out.
            flush();
        }
    }
}
