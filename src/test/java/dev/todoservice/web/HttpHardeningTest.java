package dev.todoservice.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.Await;
import dev.todoservice.testing.RawConnection;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * No client can hold the service's connections, handlers or memory: stalled, partial, oversized or unusual requests
 * are answered with the contract's body or their connection is closed, within short deadlines set for this test. The
 * server is started as {@code Main} starts it, since the protocol set-up is under test.
 */
class HttpHardeningTest {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(8);
    private static TestApp.Running running;
    private static TestApp app;
    private static WebServer server;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        running = TestApp.start(Map.of("TRUSTED_PROXIES", "none",
                                       "REQUEST_HEADER_TIMEOUT", "1s",
                                       "REQUEST_BODY_TIMEOUT", "3s",
                                       "REQUEST_BODY_BUFFER_MB", "1"),
                                Map.of("server.idle-connection-timeout", "PT1S",
                                       "server.idle-connection-period", "PT0.2S"));
        app = running.app();
        server = running.server();
        admin = new ApiClient(URI.create("http://localhost:" + server.port("admin")));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void http2PriorKnowledgeIsRefusedWithAnAnswer() {
        String response = RawConnection.exchange(server.port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertThat(response, startsWith("HTTP/1.1 400"));
        assertThat(response, containsString("Connection: close"));
        assertThat(response, containsString("{\"detail\":\"Bad Request\"}"));
    }

    @Test
    void http10RequestGetsAnAnswer() {
        String response = RawConnection.exchange(server.port(), "GET /hello HTTP/1.0\r\n\r\n");
        assertThat(response, startsWith("HTTP/1.1 505"));
        assertThat(response, containsString("{\"detail\":\"HTTP Version Not Supported\"}"));
    }

    @Test
    void methodsOutsideTheStandardSetAreNotImplementedAndShareOneMetricSeries() {
        for (int i = 0; i < 20; i++) {
            String response = RawConnection.exchange(server.port(), "X%07d /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                    .formatted(i));
            assertThat(response, startsWith("HTTP/1.1 501"));
            assertThat(response, containsString("{\"detail\":\"Not Implemented\"}"));
        }
        Await.until("the _OTHER series", Duration.ofSeconds(10), () -> metrics().contains("method=\"_OTHER\""));
        assertThat(metrics(), not(containsString("X000")));
    }

    @Test
    void chunkedBodyFromAnUntrustedPeerIsRefusedBeforeItIsRead() {
        try (RawConnection connection = RawConnection.open(server.port())) {
            // No chunk is ever sent: the answer must not wait for (or read) the body.
            String response = connection.send("POST /users/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                                      + "Transfer-Encoding: chunked\r\n\r\n")
                    .readAnswer();
            assertThat(response, startsWith("HTTP/1.1 411"));
            assertThat(response, containsString("Connection: close"));
            assertThat(connection.closedWithin(CLOSE_WAIT), is(true));
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() {
        try (RawConnection connection = RawConnection.open(server.port())) {
            assertThat(connection.closedWithin(CLOSE_WAIT), is(true));
        }
    }

    @Test
    void stalledHeadersCloseTheConnection() {
        try (RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Half: 1");
            assertThat(connection.closedWithin(CLOSE_WAIT), is(true));
        }
    }

    @Test
    void stalledBodyClosesTheConnectionAndReleasesItsHandler() {
        try (RawConnection connection = RawConnection.open(server.port())) {
            connection.send("POST /users/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 100\r\n\r\n{\"user");
            assertThat(connection.closedWithin(CLOSE_WAIT), is(true));
        }
        Await.until("no request in flight", CLOSE_WAIT, () -> app.application().drain().inFlight() == 0);
    }

    @Test
    void bodiesBeyondTheBufferBudgetGetServiceUnavailableUntilRoomIsFreed() {
        try (RawConnection holder = RawConnection.open(server.port())) {
            // Reserves the whole 1 MiB budget, then stalls until its body deadline closes it.
            holder.send("POST /users/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 1048576\r\n\r\n{");
            Await.until("the large upload in flight", CLOSE_WAIT, () -> app.application().drain().inFlight() == 1);

            String refused = RawConnection.exchange(server.port(), signUp());
            assertThat(refused, startsWith("HTTP/1.1 503"));
            assertThat(refused, containsString("Retry-After: 1"));
            assertThat(refused, containsString("{\"detail\":\"Service Unavailable\"}"));

            assertThat(holder.closedWithin(CLOSE_WAIT), is(true));
        }
        Await.until("the budget freed", CLOSE_WAIT, () -> app.application().drain().inFlight() == 0);
        assertThat(RawConnection.exchange(server.port(), signUp()), startsWith("HTTP/1.1 201"));
    }

    private static String signUp() {
        String body = "{\"username\":\"budget" + System.nanoTime() % 100000 + "\",\"email\":\"b" + System.nanoTime()
                + "@example.com\",\"password\":\"password123\"}";
        return "POST /users/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private String metrics() {
        return admin.get("/observe/metrics").text();
    }
}
