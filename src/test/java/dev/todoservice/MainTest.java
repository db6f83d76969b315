package dev.todoservice;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import dev.todoservice.logging.LogSetup;
import dev.todoservice.testing.TestApp;
import dev.todoservice.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static dev.todoservice.testing.Env.production;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Start-up failures are thrown with their exit status and one-line reason; only {@code main} exits. */
class MainTest {

    private static StartFailure failure(Map<String, String> env, String... args) {
        return assertThrows(StartFailure.class, () -> Main.run(env, args));
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        StartFailure failure = failure(production(), "frobnicate");
        assertThat(failure.exitStatus(), is(2));
        assertThat(failure.getMessage(), is("usage: todo-service [migrate]"));
        assertThat(failure(production(), "migrate", "twice").exitStatus(), is(2));
    }

    @Test
    void aBadSettingIsAConfigurationErrorNamingIt() {
        StartFailure failure = failure(production("SECRET_KEY", null));
        assertThat(failure.exitStatus(), is(2));
        assertThat(failure.getMessage(),
                   startsWith("todo-service: configuration error: SECRET_KEY is required in production"));
        assertThat(failure(production("PORT", "http")).getMessage(),
                   startsWith("todo-service: configuration error: PORT must be a port"));
    }

    @Test
    void migratingNeedsNoSigningKeyButAValidDatabaseSetting() {
        StartFailure failure = failure(production("SECRET_KEY", null, "DB_POOL_SIZE", "0"), "migrate");
        assertThat(failure.exitStatus(), is(2));
        assertThat(failure.getMessage(), startsWith("todo-service: configuration error: DB_POOL_SIZE"));
    }

    @Test
    void anUnreachableDatabaseIsAStartUpFailureWithItsReason() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = TestDatabase.get().environment("nowhere", Map.of(
                "DATABASE_URL", "postgresql://127.0.0.1:" + closedPort + "/nowhere", "DB_WAIT_SECONDS", "1",
                "LOG_LEVEL", "ERROR"));
        try {
            StartFailure failure = failure(env);
            assertThat(failure.exitStatus(), is(1));
            assertThat(failure.getMessage(),
                       startsWith("Start-up failed: Database 127.0.0.1:" + closedPort
                                  + "/nowhere not reachable after 1 s"));
        } finally {
            LogSetup.configure(TestApp.QUIET, System.out);
        }
    }
}
