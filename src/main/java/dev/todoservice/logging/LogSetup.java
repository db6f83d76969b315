package dev.todoservice.logging;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>
 * The access log ({@value #ACCESS_LOGGER}, a line per request) is written by a thread of its own: a request formats
 * its line and leaves it in a bounded buffer, never waiting for the output (a write and flush per request took a
 * twentieth of a request's CPU, bench/results). When the buffer is full, lines are dropped and the number dropped is
 * logged as soon as the output catches up. Every other record is written at once, after the access lines before it.
 */
public final class LogSetup {

    /** Name of the logger of the one-line-per-request access log. */
    public static final String ACCESS_LOGGER = "dev.todoservice.access";

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

    /**
     * Writes each record as one line and flushes, so container log collectors see it at once; access lines through
     * the writer thread.
     */
    private static final class StdoutHandler extends Handler {

        // Access lines waiting for the writer, at most this many characters (each line is bounded by the formatter).
        private static final int BUFFER_CHARS = 4 << 20;

        private final PrintStream out;
        private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
        private final AtomicInteger pendingChars = new AtomicInteger();
        private final AtomicLong dropped = new AtomicLong();
        private final Thread writer;
        // Guarded by out.
        private long reportedDrops;

        StdoutHandler(Formatter formatter, PrintStream out) {
            this.out = out;
            setFormatter(formatter);
            setLevel(Level.ALL);
            this.writer = Thread.ofPlatform().name("access-log-writer").daemon(true).start(this::writeAccessLines);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line = getFormatter().format(record);
            if (ACCESS_LOGGER.equals(record.getLoggerName())) {
                enqueue(line);
                return;
            }
            synchronized (out) {
                writePending();
                out.print(line);
                out.flush();
            }
        }

        private void enqueue(String line) {
            if (pendingChars.addAndGet(line.length()) > BUFFER_CHARS) {
                pendingChars.addAndGet(-line.length());
                dropped.incrementAndGet();
                return;
            }
            pending.add(line);
        }

        private void writeAccessLines() {
            try {
                while (true) {
                    String first = pending.take();
                    synchronized (out) {
                        write(first);
                        writePending();
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                // Closed: close() writes what is left.
            }
        }

        // Callers hold the lock on out.
        private void writePending() {
            for (String line = pending.poll(); line != null; line = pending.poll()) {
                write(line);
            }
            long drops = dropped.get();
            if (drops > reportedDrops) {
                LogRecord warning = new LogRecord(Level.WARNING, (drops - reportedDrops)
                        + " access log line(s) dropped: the log output did not keep up");
                warning.setLoggerName(ACCESS_LOGGER);
                out.print(getFormatter().format(warning));
                reportedDrops = drops;
            }
        }

        private void write(String line) {
            pendingChars.addAndGet(-line.length());
            out.print(line);
        }

        @Override
        public void flush() {
            synchronized (out) {
                writePending();
                out.flush();
            }
        }

        @Override
        public void close() {
            writer.interrupt();
            // stdout belongs to the process; the last shutdown lines must still get out.
            flush();
        }
    }
}
