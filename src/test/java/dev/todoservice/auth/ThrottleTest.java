package dev.todoservice.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.MutableClock;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static dev.todoservice.testing.ApiClient.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Login, sign-up and account updates are limited per client address and per account. The test client is on
 * loopback, a trusted proxy by default, so each test names its own clients with {@code X-Forwarded-For}.
 */
@ServerTest
class ThrottleTest {

    private static final int PER_CLIENT = 5;
    private static final int PER_ACCOUNT = 3;
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2031-03-01T08:00:00Z"));
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private final ApiClient api;

    ThrottleTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestApp.setup(server, Map.of("THROTTLE_IP_PER_MINUTE", Integer.toString(PER_CLIENT),
                                     "THROTTLE_ACCOUNT_PER_MINUTE", Integer.toString(PER_ACCOUNT)), CLOCK);
    }

    // A client address no other test uses.
    private static String newClient() {
        return "198.51.100." + CLIENTS.incrementAndGet();
    }

    private Response login(String client, String email, String password) {
        String form = "username=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return api.send(api.request("/auth/token")
                                .header("X-Forwarded-For", client)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build());
    }

    private Response signUp(String client, String email) {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return api.send(api.request("/users/")
                                .header("X-Forwarded-For", client)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of(
                                        "username", name, "email", email, "password", "password-" + name))))
                                .build());
    }

    private static String newEmail() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "@example.com";
    }

    private static void assertTooManyRequests(Response response, String retryAfter) {
        assertThat(response.text(), response.status(), is(429));
        assertThat(response.detail(), is("Too many requests"));
        assertThat(response.header("Retry-After"), is(retryAfter));
    }

    @Test
    void wrongPasswordsForOneAccountFromManyClientsAreLimitedWithRetryAfter() {
        String email = newEmail();
        assertThat(signUp(newClient(), email).status(), is(201));
        for (int i = 0; i < PER_ACCOUNT - 1; i++) {
            assertThat(login(newClient(), email, "wrong-password").status(), is(401));
        }
        assertTooManyRequests(login(newClient(), email, "wrong-password"), "20");
    }

    @Test
    void aLimitedAccountMayTryAgainAfterRetryAfter() {
        String email = newEmail();
        signUp(newClient(), email);
        for (int i = 0; i < PER_ACCOUNT - 1; i++) {
            login(newClient(), email, "wrong-password");
        }
        Response limited = login(newClient(), email, "wrong-password");
        assertThat(limited.status(), is(429));
        CLOCK.advance(Duration.ofSeconds(Long.parseLong(limited.header("Retry-After"))));
        assertThat(login(newClient(), email, "wrong-password").status(), is(401));
        assertThat(login(newClient(), email, "wrong-password").status(), is(429));
    }

    @Test
    void unknownAccountsAreLimitedLikeKnownOnes() {
        String email = newEmail();
        for (int i = 0; i < PER_ACCOUNT; i++) {
            assertThat(login(newClient(), email, "guess-" + i).status(), is(401));
        }
        assertTooManyRequests(login(newClient(), email, "another-guess"), "20");
    }

    @Test
    void oneClientIsLimitedAcrossAccountsAndRoutes() {
        String client = newClient();
        for (int i = 0; i < PER_CLIENT - 1; i++) {
            assertThat(login(client, newEmail(), "whatever-password").status(), is(401));
        }
        assertThat(signUp(client, newEmail()).status(), is(201));
        assertTooManyRequests(login(client, newEmail(), "whatever-password"), "12");
        assertTooManyRequests(signUp(client, newEmail()), "12");
    }

    @Test
    void otherClientsAndAccountsLogInWhileOneClientIsLimited() {
        String flooder = newClient();
        for (int i = 0; i < PER_CLIENT; i++) {
            login(flooder, newEmail(), "whatever-password");
        }
        assertThat(login(flooder, newEmail(), "whatever-password").status(), is(429));
        String email = newEmail();
        Response created = signUp(newClient(), email);
        Response other = login(newClient(), email, "password-" + created.json().get("username").asText());
        assertThat(other.status(), is(200));
    }

    @Test
    void accountUpdatesCountAgainstTheAccount() {
        String email = newEmail();
        Response created = signUp(newClient(), email);
        String name = created.json().get("username").asText();
        String password = "password-" + name;
        CLOCK.advance(Duration.ofMinutes(1));
        String token = null;
        for (int i = 0; i < PER_ACCOUNT; i++) {
            token = login(newClient(), email, password).json().get("access_token").asText();
        }
        Response limited = api.send(api.request("/users/" + created.json().get("id").asLong())
                                            .header("X-Forwarded-For", newClient())
                                            .header("Authorization", "Bearer " + token)
                                            .header("Content-Type", "application/json")
                                            .PUT(HttpRequest.BodyPublishers.ofString(json(Map.of(
                                                    "username", name, "email", email, "password", password))))
                                            .build());
        assertTooManyRequests(limited, "20");
    }
}
