package dev.todoservice.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Password hashing runs on its own thread (one here), with a queue of one and a bounded wait. A stored hash with many
 * passes makes one login take seconds of CPU, standing in for a flood of logins.
 */
@ServerTest
class PasswordHashingLoadTest {

    private static TestApp app;
    private final ApiClient api;

    PasswordHashingLoadTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        app = TestApp.setup(server, Map.of("PASSWORD_HASH_THREADS", "1",
                                           "PASSWORD_HASH_QUEUE", "1",
                                           "PASSWORD_HASH_MAX_WAIT", "300ms"), Clock.systemUTC());
    }

    @Test
    void whileHashingIsSaturatedOtherRoutesAnswerAndExtraLoginsAre503AfterTheBoundedWait() throws Exception {
        Account reader = api.newAccount();
        Account slow = api.newAccount();
        app.sql("UPDATE users SET password_hash = '" + PasswordHasherTest.SLOW_HASH + "' WHERE id = " + slow.id());

        // Two slow logins at once: one gets the hashing thread, the other waits in the queue and gives up.
        List<CompletableFuture<Response>> logins = List.of(slowLogin(slow), slowLogin(slow));
        Response first = (Response) CompletableFuture.anyOf(logins.toArray(CompletableFuture[]::new)).get();
        assertThat(first.text(), first.status(), is(503));
        assertThat(first.detail(), is("Service Unavailable"));
        assertThat(first.header("Retry-After"), is("1"));
        CompletableFuture<Response> hashing = logins.stream().filter(login -> !login.isDone()).findFirst()
                .orElseThrow();

        // The hashing thread is busy for seconds: the rest of the API is not.
        Response todos = api.send("GET", "/todos/", reader.token(), null);
        assertThat(todos.status(), is(200));
        assertThat("the slow login finished before GET /todos/", hashing.isDone(), is(false));
        Response extra = api.login(reader.email(), reader.password());
        assertThat(extra.status(), is(503));
        assertThat("the slow login finished before the extra login was refused", hashing.isDone(), is(false));

        assertThat(hashing.get().status(), is(401));
    }

    private CompletableFuture<Response> slowLogin(Account account) {
        return api.sendAsync(api.request("/auth/token")
                                     .header("Content-Type", "application/x-www-form-urlencoded")
                                     .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                             "username=" + account.email() + "&password=wrong-password"))
                                     .timeout(Duration.ofSeconds(60))
                                     .build());
    }
}
