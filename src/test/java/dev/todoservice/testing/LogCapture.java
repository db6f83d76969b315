package dev.todoservice.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what a logger publishes, formatted by the service's own formatter, for assertions on log content.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture(Logger logger, Formatter formatter) {
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        setFormatter(formatter);
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /**
     * Starts capturing.
     *
     * @param logger    the logger to listen to (its children included)
     * @param formatter how to render records
     * @return the capture; close it to stop
     */
    public static LogCapture start(Logger logger, Formatter formatter) {
        return new LogCapture(logger, formatter);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
        notifyAll();
    }

    /**
     * Everything captured so far, formatted.
     *
     * @return one string per record
     */
    public synchronized List<String> lines() {
        return records.stream().map(getFormatter()::format).toList();
    }

    /**
     * Waits until at least {@code count} records arrived (the access line is written after the response is sent).
     *
     * @param count how many records
     * @return everything captured, formatted
     * @throws AssertionError when they do not arrive within 10 seconds
     */
    public synchronized List<String> awaitLines(int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (records.size() < count) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AssertionError("Expected " + count + " log records, got " + records.size());
            }
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return lines();
    }

    /**
     * The raw records.
     *
     * @return records in order
     */
    public synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}
