package dev.todoservice.web;

import java.util.List;
import java.util.function.Supplier;

import io.helidon.health.HealthCheckResponse;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;

/**
 * Publishes readiness as the gauge {@code health.ready} (Prometheus: {@code health_ready}): 1 when every readiness
 * check is UP, as {@code /observe/health/ready} would answer at that moment, 0 otherwise. Monitoring that scrapes
 * metrics sees a lost database or a draining instance without probing the health endpoint separately.
 */
public final class ReadinessGauge {

    private static final String NAME = "health.ready";

    private ReadinessGauge() {
    }

    /**
     * Registers the gauge.
     *
     * @param checks the readiness checks the health endpoint runs
     */
    public static void register(List<Supplier<HealthCheckResponse>> checks) {
        MeterRegistry registry = Metrics.globalRegistry();
        // The registry is process-wide: the application wired last (tests wire one per class) is the one reported.
        registry.gauge(NAME, List.of()).ifPresent(registry::remove);
        registry.getOrCreate(Gauge.builder(NAME, () -> ready(checks) ? 1 : 0)
                                     .description("1 when every readiness check is UP, 0 otherwise"));
    }

    private static boolean ready(List<Supplier<HealthCheckResponse>> checks) {
        return checks.stream().allMatch(check -> check.get().status() == HealthCheckResponse.Status.UP);
    }
}
