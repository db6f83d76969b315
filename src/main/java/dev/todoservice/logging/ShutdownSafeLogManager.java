package dev.todoservice.logging;

import java.util.logging.LogManager;

/**
 * A log manager that ignores the reset the JDK performs in its own shutdown hook. That hook runs concurrently with
 * the service's graceful-shutdown hook and would otherwise drop the last log lines (draining, pool closed).
 * Installed by {@code Main} through {@code java.util.logging.manager} before anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {

    private static final String JDK_CLEANER = LogManager.class.getName() + "$Cleaner";

    @Override
    public void reset() {
        if (Thread.currentThread().getClass().getName().equals(JDK_CLEANER)) {
            return;
        }
        super.reset();
    }
}
