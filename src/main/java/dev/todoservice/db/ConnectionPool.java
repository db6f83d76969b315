package dev.todoservice.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.logging.Logger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.PoolStats;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

/**
 * The HikariCP pool behind Helidon's JDBC client (Helidon 4.5 ships no pool of its own), publishing its state as the
 * {@code db.pool.*} meters: connections active, idle, pending and maximum, acquisition time and time-outs.
 */
public final class ConnectionPool implements CloseableJdbcConnectionPool {

    private static final Logger LOGGER = Logger.getLogger(ConnectionPool.class.getName());

    private final HikariDataSource dataSource;

    private ConnectionPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the pool. It starts at once but does not fail while the database is down
     * ({@code initializationFailTimeout: -1}): connections are opened when the database answers.
     *
     * @param settings   where the database is, who connects, the most connections and the statement timeout
     * @param properties HikariCP settings ({@code db.connection} in {@code application.yaml})
     * @return the pool
     */
    public static ConnectionPool create(DatabaseSettings settings, Config properties) {
        Properties hikari = new Properties();
        Map<String, String> values = properties.detach().asMap().orElseGet(Map::of);
        hikari.putAll(values);
        HikariConfig config = new HikariConfig(hikari);
        config.setJdbcUrl(settings.url().jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        // No request holds a connection (and the server's CPU) longer than this, lock waits included; PostgreSQL
        // cancels the statement (57014) and the request gets a 503. Migrations use their own connection.
        config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeout().toMillis());
        config.setMetricsTrackerFactory(ConnectionPool::tracker);
        ConnectionPool pool = new ConnectionPool(new HikariDataSource(config));
        // The first connection opens now, in the background, while the server starts: the first readiness probe
        // (or request) finds it ready instead of opening it (HikariCP's own filling starts 100 ms later).
        Thread.ofVirtual().name("pool-warm-up").start(pool::warmUp);
        return pool;
    }

    private void warmUp() {
        try (Connection ignored = dataSource.getConnection()) {
            LOGGER.fine("First pooled connection open");
        } catch (SQLException | RuntimeException e) {
            // The database is not there yet, or the pool closed: readiness reports it; nothing to do here.
            LOGGER.fine("First pooled connection not open yet: " + e.getMessage());
        }
    }

    @Override
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DbClientException("No database connection: " + e.getMessage(), e);
        }
    }

    @Override
    public String dbType() {
        return "jdbc:postgresql";
    }

    /**
     * Closes idle connections now and connections in use when they come back: after the database went away, every
     * pooled connection is dead, and HikariCP would otherwise hand each one out once more.
     */
    public void evictAll() {
        if (dataSource.getHikariPoolMXBean() != null) {
            dataSource.getHikariPoolMXBean().softEvictConnections();
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static IMetricsTracker tracker(String poolName, PoolStats stats) {
        MeterRegistry registry = Metrics.globalRegistry();
        gauge(registry, "db.pool.connections.active", "Connections in use", stats, PoolStats::getActiveConnections);
        gauge(registry, "db.pool.connections.idle", "Idle connections", stats, PoolStats::getIdleConnections);
        gauge(registry, "db.pool.connections.pending", "Requests waiting for a connection", stats,
              PoolStats::getPendingThreads);
        gauge(registry, "db.pool.connections.max", "Most connections the pool opens", stats,
              PoolStats::getMaxConnections);
        Timer acquire = registry.getOrCreate(Timer.builder("db.pool.acquire")
                                                     .description("Time to get a connection from the pool"));
        Counter timeouts = registry.getOrCreate(Counter.builder("db.pool.timeouts")
                                                        .description("Requests that got no connection in time"));
        return new IMetricsTracker() {
            @Override
            public void recordConnectionAcquiredNanos(long nanos) {
                acquire.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void recordConnectionTimeout() {
                timeouts.increment();
            }
        };
    }

    private static void gauge(MeterRegistry registry, String name, String description, PoolStats stats,
                              ToDoubleFunction<PoolStats> value) {
        registry.getOrCreate(Gauge.builder(name, stats, value).description(description));
    }
}
