package dev.todoservice.web;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todoservice.logging.JsonFormatter;
import dev.todoservice.logging.LogSettings;
import dev.todoservice.logging.LogSetup;
import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.Await;
import dev.todoservice.testing.LogCapture;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.helidon.webserver.testing.junit5.Socket;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@ServerTest
class ObservabilityTest {

    private final ApiClient api;
    private final ApiClient admin;

    ObservabilityTest(URI uri, @Socket("admin") URI adminUri) {
        this.api = new ApiClient(uri);
        this.admin = new ApiClient(adminUri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        // Loopback is not trusted here, so forwarded headers from the test client must be ignored.
        TestApp.setup(server, Map.of("TRUSTED_PROXIES", "10.0.0.0/8"), java.time.Clock.systemUTC());
    }

    @Test
    void readinessIncludesTheDatabase() {
        Response response = admin.get("/observe/health/ready");
        assertThat(response.status(), is(200));
        JsonNode checks = admin.get("/observe/health").json().get("checks");
        assertThat(checks.findValuesAsText("name"), hasItems("database", "accepting-traffic"));
        assertThat(response.json().get("status").asText(), is("UP"));
    }

    @Test
    void livenessIsUp() {
        Response response = admin.get("/observe/health/live");
        assertThat(response.status(), is(200));
        assertThat(response.json().get("status").asText(), is("UP"));
        assertThat(response.json().get("checks").findValuesAsText("name"), not(hasItem("database")));
    }

    @Test
    void metricsArePrometheusWithPerRouteDatabaseAndPoolMeters() {
        Account account = api.newAccount();
        api.send("GET", "/todos/", account.token(), null);
        api.get("/users/" + account.id());
        // Timers are recorded just after the response is sent.
        Await.until("the last request's timer", Duration.ofSeconds(10),
                    () -> metrics().contains("route=\"/users/{user_id}\""));
        Response response = admin.send(admin.request("/observe/metrics").header("Accept", "text/plain").GET().build());
        assertThat(response.status(), is(200));
        String text = response.text();
        assertThat(text,
                   containsString("http_server_requests_seconds_count{method=\"GET\",route=\"/users/{user_id}\""));
        assertThat(text, containsString("route=\"/todos\""));
        assertThat(text, containsString("db_timer_todo_list_seconds_count"));
        assertThat(text, containsString("db_pool_"));
    }

    @Test
    void unknownPathsShareOneMetricSeries() {
        api.get("/random-scanner-path-1");
        api.get("/random-scanner-path-2");
        Await.until("the unmatched series", Duration.ofSeconds(10), () -> metrics().contains("route=\"unmatched\""));
        assertThat(metrics(), not(containsString("random-scanner-path")));
    }

    @Test
    void eachRequestIsLoggedOnceWithItsFields() {
        try (LogCapture capture = LogCapture.start(RequestLogFilter.ACCESS_LOG, new JsonFormatter())) {
            api.send(api.request("/hello?secret=query")
                             .header("X-Request-ID", "log-me-1")
                             .header("User-Agent", "observability-test")
                             .GET().build());
            List<String> lines = capture.awaitLinesContaining("log-me-1");
            assertThat(lines.size(), is(1));
            String line = lines.getFirst();
            assertThat(line, containsString("\"request_id\":\"log-me-1\""));
            assertThat(line, containsString("\"method\":\"GET\""));
            assertThat(line, containsString("\"path\":\"/hello\""));
            assertThat(line, containsString("\"status\":200"));
            assertThat(line, containsString("\"duration_ms\":"));
            assertThat(line, containsString("\"user_agent\":\"observability-test\""));
            assertThat(line, not(containsString("secret=query")));
        }
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        try (LogCapture capture = LogCapture.start(RequestLogFilter.ACCESS_LOG, new JsonFormatter())) {
            api.send(api.request("/hello")
                             .header("X-Request-ID", "forwarded-untrusted")
                             .header("X-Forwarded-For", "203.0.113.9")
                             .header("X-Forwarded-Host", "spoofed.example")
                             .GET().build());
            String line = capture.awaitLinesContaining("forwarded-untrusted").getFirst();
            assertThat(line, containsString("\"client_ip\":\"127.0.0.1\""));
            assertThat(line, not(containsString("203.0.113.9")));
            assertThat(line, not(containsString("spoofed.example")));
        }
    }

    @Test
    void noPasswordOrTokenReachesTheLogEvenAtTraceLevel() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LogSetup.configure(new LogSettings(Level.FINEST, LogSettings.Format.JSON),
                           new PrintStream(output, true, StandardCharsets.UTF_8));
        Account account;
        try {
            account = api.newAccount();
            api.login(account.email(), "wrong-" + account.password());
            api.send("GET", "/todos/?title=abc", account.token(), null);
            api.send("POST", "/todos/", account.token(), "{\"title\": 1}");
            Await.until("the last access line", Duration.ofSeconds(10),
                        () -> output.toString(StandardCharsets.UTF_8).contains("\"status\":422"));
        } finally {
            LogSetup.configure(TestApp.QUIET, System.out);
        }
        String log = output.toString(StandardCharsets.UTF_8);
        assertThat(log, containsString("\"path\":\"/auth/token\""));
        assertThat(log, not(containsString(account.password())));
        assertThat(log, not(containsString(account.token())));
        assertThat(log, not(containsString("test-secret-key")));
    }

    private String metrics() {
        return admin.get("/observe/metrics").text();
    }
}
