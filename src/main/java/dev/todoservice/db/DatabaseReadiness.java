package dev.todoservice.db;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness of the database: DOWN at once while the guard has it marked down, otherwise whatever the wrapped
 * database client check finds. Kept out of liveness so a database outage never gets the app restarted.
 */
public final class DatabaseReadiness implements HealthCheck {

    private final DatabaseGuard guard;
    private final HealthCheck databaseCheck;

    /**
     * Creates the check.
     *
     * @param guard         the request-path view of availability
     * @param databaseCheck a check that queries the database
     */
    public DatabaseReadiness(DatabaseGuard guard, HealthCheck databaseCheck) {
        this.guard = guard;
        this.databaseCheck = databaseCheck;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public HealthCheckResponse call() {
        if (!guard.available()) {
            return HealthCheckResponse.builder()
                    .status(HealthCheckResponse.Status.DOWN)
                    .detail("reason", "database unreachable; requests answer 503 until it is back")
                    .build();
        }
        return databaseCheck.call();
    }
}
