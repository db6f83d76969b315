package dev.todoservice.db;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Drops every pooled connection after the database went away. HikariCP only checks a connection that sat idle for
 * half a second, so under load it would hand out each dead connection once more, failing a request and marking the
 * database down again every time, for seconds after the database is back.
 * <p>
 * Helidon's DB client does not expose the pool, so this goes through HikariCP's own JMX bean
 * ({@code registerMbeans: true} in {@code application.yaml}).
 */
public final class PoolEviction implements Runnable {

    private static final Logger LOGGER = Logger.getLogger(PoolEviction.class.getName());

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName pool;

    /**
     * Creates an eviction for one pool.
     *
     * @param poolName HikariCP's {@code poolName}
     */
    public PoolEviction(String poolName) {
        try {
            this.pool = new ObjectName("com.zaxxer.hikari:type=Pool (" + poolName + ")");
        } catch (JMException e) {
            throw new IllegalArgumentException("Unusable pool name " + poolName, e);
        }
    }

    /** Closes idle connections now and connections in use when they are returned. */
    @Override
    public void run() {
        try {
            if (server.isRegistered(pool)) {
                server.invoke(pool, "softEvictConnections", null, null);
            }
        } catch (JMException e) {
            LOGGER.log(Level.WARNING, "Could not evict pooled connections: " + e.getMessage());
        }
    }
}
