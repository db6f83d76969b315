package dev.todoservice.web;

import java.time.Duration;
import java.util.Map;

import dev.todoservice.testing.Await;
import dev.todoservice.testing.RawConnection;
import dev.todoservice.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/** Requests beyond the process's limit on requests in flight are answered 503 with the contract's body at once. */
class RequestsInFlightLimitTest {

    private static TestApp.Running running;

    @BeforeAll
    static void start() {
        running = TestApp.start(Map.of(), Map.of("server.max-concurrent-requests", "1"));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void aRequestBeyondTheLimitIsServiceUnavailable() {
        int port = running.server().port();
        try (RawConnection slow = RawConnection.open(port)) {
            // Holds the only slot: its body never completes (until its deadline).
            slow.send("POST /users/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              + "Content-Length: 50\r\n\r\n{");
            Await.until("the slow request in flight", Duration.ofSeconds(10),
                        () -> running.app().application().drain().inFlight() == 1);

            String refused = RawConnection.exchange(port, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(refused, startsWith("HTTP/1.1 503"));
            assertThat(refused, containsString("Retry-After: 1"));
            assertThat(refused, containsString("{\"detail\":\"Service Unavailable\"}"));
        }
    }
}
