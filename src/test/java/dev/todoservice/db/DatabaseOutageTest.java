package dev.todoservice.db;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.Await;
import dev.todoservice.testing.TcpProxy;
import dev.todoservice.testing.TestApp;
import dev.todoservice.testing.TestDatabase;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.helidon.webserver.testing.junit5.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

@ServerTest
class DatabaseOutageTest {

    private static TcpProxy proxy;
    private final ApiClient api;
    private final ApiClient admin;

    DatabaseOutageTest(URI uri, @Socket("admin") URI adminUri) {
        this.api = new ApiClient(uri);
        this.admin = new ApiClient(adminUri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestDatabase databases = TestDatabase.get();
        proxy = TcpProxy.to(databases.host());
        String database = databases.createDatabase();
        TestApp.setup(server, database,
                      Map.of("DATABASE_URL", "postgresql://127.0.0.1:" + proxy.port() + "/" + database),
                      Clock.systemUTC());
    }

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Test
    void outageAnswers503FastMarksNotReadyAndRecoversByItself() {
        Account account = api.newAccount();
        assertThat(admin.get("/observe/health/ready").status(), is(200));
        assertThat(readyGauge(), is("1.0"));

        proxy.cut();
        Response during = timed(account);
        assertThat(during.status(), is(503));
        assertThat(during.detail(), is("Service Unavailable"));
        assertThat(admin.get("/observe/health/ready").status(), is(503));
        assertThat(admin.get("/observe/health/live").status(), is(200));
        assertThat(readyGauge(), is("0.0"));

        long start = System.nanoTime();
        Response again = timed(account);
        assertThat(again.status(), is(503));
        assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofSeconds(1)));

        proxy.restore();
        Duration recovery = Await.until("readiness UP after the database returns", Duration.ofSeconds(10),
                                        () -> admin.get("/observe/health/ready").status() == 200);
        assertThat(recovery, lessThan(Duration.ofSeconds(5)));
        assertThat(readyGauge(), is("1.0"));
        Response after = api.send("GET", "/todos/", account.token(), null);
        assertThat(after.status(), is(200));
        assertThat(api.send("POST", "/todos/", account.token(),
                            "{\"title\": \"after\", \"description\": \"\", \"state\": \"todo\"}").status(), is(201));
    }

    // The value of health_ready in the Prometheus output, which alerting reads instead of the health endpoint.
    private String readyGauge() {
        return admin.get("/observe/metrics").text().lines()
                .filter(line -> line.startsWith("health_ready{"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .findFirst()
                .orElse("missing");
    }

    // A request that hangs instead of failing fast fails the test through the client time-out.
    private Response timed(Account account) {
        return api.send(api.request("/todos/")
                                .header("Authorization", "Bearer " + account.token())
                                .timeout(Duration.ofSeconds(8))
                                .GET()
                                .build());
    }
}
