package dev.todoservice;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Why the service did not start, with the process exit status that says so: 2 for a usage or configuration error
 * (reported on stderr, before logging is set up), 1 when start-up itself failed (logged). Each is one line.
 */
public final class StartFailure extends RuntimeException {

    private final int exitStatus;

    private StartFailure(int exitStatus, String line, Throwable cause) {
        super(line, cause, false, false);
        this.exitStatus = exitStatus;
    }

    /**
     * The command line is not one the service knows.
     *
     * @param usage the usage line
     * @return the failure
     */
    static StartFailure usage(String usage) {
        return new StartFailure(2, usage, null);
    }

    /**
     * Reads configuration, turning a bad value into a configuration error.
     *
     * @param reading what reads and validates it
     * @param <T>     what is read
     * @return what was read
     * @throws StartFailure exit status 2, naming the problem
     */
    static <T> T unlessInvalid(Supplier<T> reading) {
        try {
            return reading.get();
        } catch (IllegalArgumentException e) {
            throw new StartFailure(2, "todo-service: configuration error: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a start-up step (waiting for the database, migrating), turning its failure into a start-up failure.
     *
     * @param step the step
     * @throws StartFailure exit status 1, with the step's reason
     */
    static void unlessFailing(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            throw new StartFailure(1, "Start-up failed: " + e.getMessage(), e);
        }
    }

    /**
     * The exit status that reports this failure.
     *
     * @return 2 for usage and configuration errors, 1 for start-up failures
     */
    public int exitStatus() {
        return exitStatus;
    }

    /** Tells the operator: usage and configuration errors on stderr, start-up failures in the log. */
    void report() {
        if (exitStatus == 2) {
            System.err.println(getMessage());
        } else {
            Logger.getLogger(Main.class.getName()).severe(getMessage());
        }
    }
}
