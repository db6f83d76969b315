package dev.todoservice.db;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.helidon.health.HealthCheckResponse;

/**
 * Readiness of the database: DOWN at once while the guard has it marked down, otherwise whether a trivial query
 * answers within the time-out. Registered as a readiness check, never liveness, so a database outage never gets the
 * app restarted.
 */
public final class DatabaseReadiness implements Supplier<HealthCheckResponse> {

    private final DatabaseGuard guard;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Creates the check.
     *
     * @param guard   the request-path view of availability, and the query
     * @param timeout how long the query may take before readiness is DOWN
     */
    public DatabaseReadiness(DatabaseGuard guard, Duration timeout) {
        this.guard = guard;
        this.timeout = timeout;
    }

    @Override
    public HealthCheckResponse get() {
        if (!guard.available()) {
            return down("database unreachable; requests answer 503 until it is back");
        }
        Future<Boolean> ping = executor.submit(guard::ping);
        try {
            return ping.get(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    ? HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP).build()
                    : down("database query failed");
        } catch (TimeoutException e) {
            ping.cancel(true);
            return down("database did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return down("database query failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        }
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.builder()
                .status(HealthCheckResponse.Status.DOWN)
                .detail("reason", reason)
                .build();
    }
}
