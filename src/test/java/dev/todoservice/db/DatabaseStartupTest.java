package dev.todoservice.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.logging.Logger;

import dev.todoservice.logging.TextFormatter;
import dev.todoservice.testing.LogCapture;
import dev.todoservice.testing.TcpProxy;
import dev.todoservice.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatabaseStartupTest {

    private static final Logger LOGGER = Logger.getLogger(DatabaseStartup.class.getName());

    @Test
    void givesUpAfterTheWaitWithAOneLineReason() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DatabaseSettings settings = TestDatabase.get().settings("nowhere", Map.of(
                "DATABASE_URL", "postgresql://127.0.0.1:" + closedPort + "/nowhere", "DB_WAIT_SECONDS", "1"))
                .database();
        try (LogCapture capture = LogCapture.start(LOGGER, new TextFormatter())) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                                                         () -> DatabaseStartup.awaitDatabase(settings));
            assertThat(failure.getMessage(),
                       containsString("127.0.0.1:" + closedPort + "/nowhere not reachable after 1 s"));
            assertThat(failure.getMessage().lines().count(), is(1L));
            assertThat(capture.records().size(), greaterThanOrEqualTo(2));
            assertThat(capture.lines().getFirst(), containsString("attempt 1"));
        }
    }

    @Test
    void waitsUntilTheDatabaseAppears() throws InterruptedException {
        TestDatabase databases = TestDatabase.get();
        String database = databases.createDatabase();
        try (TcpProxy proxy = TcpProxy.to(databases.host());
             LogCapture capture = LogCapture.start(LOGGER, new TextFormatter())) {
            proxy.cut();
            DatabaseSettings settings = databases.settings(database, Map.of(
                    "DATABASE_URL", "postgresql://127.0.0.1:" + proxy.port() + "/" + database,
                    "DB_WAIT_SECONDS", "30")).database();
            Thread restorer = Thread.ofVirtual().start(() -> {
                capture.awaitLines(1);
                proxy.restore();
            });
            DatabaseStartup.awaitDatabase(settings);
            restorer.join();
            assertThat(capture.lines().getFirst(), containsString("not reachable (attempt 1"));
            assertThat(capture.lines().getLast(), containsString("reachable (attempt"));
            assertThat(capture.records().size(), greaterThanOrEqualTo(2));
        }
    }
}
