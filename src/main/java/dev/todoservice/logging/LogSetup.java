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
 */
public final class LogSetup {

    private LogSetup() {
    }

    /**
     * Replaces the root handlers.
     *
     * @param level root level
     * @param json  JSON lines when true, text otherwise
     */
    public static void configure(Level level, boolean json) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(new StdoutHandler(json ? new JsonFormatter() : new TextFormatter()));
        // The driver's debug output can echo connection properties; keep it at INFO at most.
        Logger.getLogger("org.postgresql").setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
    }

    /** Writes each record as one line and flushes, so container log collectors see it at once. */
    private static final class StdoutHandler extends Handler {

        private final PrintStream out = System.out;

        StdoutHandler(Formatter formatter) {
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
