package dev.todoservice.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
     * Waits until at least {@code count} records arrived.
     *
     * @param count how many records
     * @return everything captured, formatted
     * @throws AssertionError when they do not arrive within 10 seconds
     */
    public synchronized List<String> awaitLines(int count) {
        awaitUntil(() -> records.size() >= count, count + " log records");
        return lines();
    }

    /**
     * Waits for the lines that contain a marker, such as a request id (an access line is written after the response
     * is sent, and a previous test's late line may arrive meanwhile).
     *
     * @param marker text the lines must contain
     * @return the matching lines, at least one
     * @throws AssertionError when none arrives within 10 seconds
     */
    public synchronized List<String> awaitLinesContaining(String marker) {
        awaitUntil(() -> lines().stream().anyMatch(line -> line.contains(marker)), "a log line with " + marker);
        return lines().stream().filter(line -> line.contains(marker)).toList();
    }

    private void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AssertionError("Timed out waiting for " + what + "; captured: " + lines());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
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
