package dev.todoservice.db;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.helidon.dbclient.DbClientService;
import io.helidon.dbclient.DbClientServiceContext;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

/**
 * Times every named statement as {@code db.timer.<statement>} (Prometheus: {@code db_timer_<statement>_seconds}),
 * failures included. Statement names come from {@code application.yaml}, so the set of timers is fixed.
 */
final class StatementTimers implements DbClientService {

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @Override
    public DbClientServiceContext statement(DbClientServiceContext context) {
        Timer timer = timers.computeIfAbsent(context.statementName(), StatementTimers::timer);
        long start = System.nanoTime();
        context.statementFuture()
                .whenComplete((done, error) -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        return context;
    }

    /**
     * The timer of a statement.
     *
     * @param name the statement's name
     * @return its timer
     */
    static Timer timer(String name) {
        return Metrics.globalRegistry().getOrCreate(
                Timer.builder("db.timer." + name).description("Execution time of the statement " + name));
    }
}
