package dev.todoservice;

import java.lang.management.ManagementFactory;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Where start-up time went, for one log line when the service listens: the JVM's own start (the AOT cache included)
 * up to {@code main}, then each phase of {@link Main#run}. {@code bench/startup.py} reads the line.
 */
final class StartupPhases {

    private final long mainEntered = System.nanoTime();
    private final StringJoiner phases = new StringJoiner(", ");
    private long phaseStarted = mainEntered;

    /**
     * Ends the phase that ran since the previous one ended (or since {@code main} was entered).
     *
     * @param name what the phase did
     */
    void ended(String name) {
        long now = System.nanoTime();
        phases.add(name + " " + millis(now - phaseStarted) + " ms");
        phaseStarted = now;
    }

    /**
     * Says where the time went.
     *
     * @return e.g. {@code Started in 412 ms: JVM 180 ms, configuration 40 ms, ...}
     */
    String summary() {
        long sinceMain = millis(System.nanoTime() - mainEntered);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        return "Started in " + uptime + " ms: JVM " + (uptime - sinceMain) + " ms, " + phases;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
