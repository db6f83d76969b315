package dev.todoservice.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition that becomes true asynchronously, with a deadline instead of a fixed sleep. */
public final class Await {

    private Await() {
    }

    /**
     * Waits until the condition holds.
     *
     * @param what      description for the failure message
     * @param timeout   how long at most
     * @param condition the condition
     * @return the time it took
     * @throws AssertionError when the deadline passes
     */
    public static Duration until(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
