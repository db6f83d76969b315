package dev.todoservice.todos;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.MutableClock;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.todoservice.testing.ApiClient.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** {@code Idempotency-Key} on {@code POST /todos/}: a retried create answers the first answer and adds no row. */
@ServerTest
class IdempotencyTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2031-05-01T09:30:00.5Z"));
    private static TestApp app;
    private final ApiClient api;

    IdempotencyTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        app = TestApp.setup(server, Map.of(), CLOCK);
    }

    private HttpRequest keyed(Account account, String key, String title) {
        return keyedBody(account, key, json(Map.of("title", title, "description", "d", "state", "todo")));
    }

    private HttpRequest keyedBody(Account account, String key, String body) {
        return api.request("/todos/")
                .header("Authorization", "Bearer " + account.token())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String rows(Account account) {
        return app.query("SELECT count(*) FROM todos WHERE user_id = " + account.id());
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aRetryWithTheSameKeyAnswersTheFirstAnswerAndCreatesNoSecondTodo() {
        Account account = api.newAccount();
        String key = newKey();
        Response first = api.send(keyed(account, key, "pay rent"));
        CLOCK.advance(Duration.ofMinutes(5));
        Response retry = api.send(keyed(account, key, "pay rent"));
        assertThat(first.status(), is(201));
        assertThat(retry.status(), is(201));
        assertThat(retry.text(), is(first.text()));
        assertThat(first.header("Idempotent-Replayed"), is(nullValue()));
        assertThat(retry.header("Idempotent-Replayed"), is("true"));
        assertThat(rows(account), is("1"));
    }

    @Test
    void theFirstAnswerIsStoredWithTheTodoSoItOutlivesTheProcess() {
        Account account = api.newAccount();
        String key = newKey();
        Response first = api.send(keyed(account, key, "survive a crash"));
        assertThat(app.query("SELECT status || ' ' || response FROM idempotency_keys WHERE user_id = " + account.id()
                                     + " AND idempotency_key = '" + key + "'"), is("201 " + first.text()));
    }

    @Test
    void concurrentDuplicatesCreateOneTodoAndAllGetItsAnswer() throws Exception {
        Account account = api.newAccount();
        String key = newKey();
        List<CompletableFuture<Response>> duplicates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            duplicates.add(api.sendAsync(keyed(account, key, "only once")));
        }
        String body = null;
        for (CompletableFuture<Response> duplicate : duplicates) {
            Response response = duplicate.get();
            assertThat(response.text(), response.status(), is(201));
            body = body == null ? response.text() : body;
            assertThat(response.text(), is(body));
        }
        assertThat(rows(account), is("1"));
    }

    @Test
    void theSameKeyWithADifferentRequestIsUnprocessable() {
        Account account = api.newAccount();
        String key = newKey();
        api.send(keyed(account, key, "original"));
        Response other = api.send(keyed(account, key, "something else"));
        assertThat(other.status(), is(422));
        assertThat(other.detail(), is("Idempotency-Key reused with a different request"));
        assertThat(rows(account), is("1"));
    }

    @Test
    void formattingAndFieldOrderDoNotMakeADifferentRequest() {
        Account account = api.newAccount();
        String key = newKey();
        api.send(keyed(account, key, "same"));
        String reorderedBody = "{ \"state\" : \"todo\", \"description\": \"d\", \"title\": \"same\" }";
        Response reordered = api.send(keyedBody(account, key, reorderedBody));
        assertThat(reordered.status(), is(201));
        assertThat(rows(account), is("1"));
    }

    @Test
    void keysBelongToTheirUser() {
        Account one = api.newAccount();
        Account two = api.newAccount();
        String key = newKey();
        Response first = api.send(keyed(one, key, "shared key"));
        Response second = api.send(keyed(two, key, "shared key"));
        assertThat(second.status(), is(201));
        assertThat(second.json().get("id").asLong(), not(first.json().get("id").asLong()));
        assertThat(second.header("Idempotent-Replayed"), is(nullValue()));
    }

    // The token of the first request expired meanwhile: the key belongs to the user, not to a token.
    private Account loggedInAgain(Account account) {
        return new Account(account.id(), account.username(), account.email(), account.password(),
                           api.login(account.email(), account.password()).json().get("access_token").asText());
    }

    @Test
    void aKeyIsRememberedFor24Hours() {
        Account account = api.newAccount();
        String key = newKey();
        Response first = api.send(keyed(account, key, "daily"));
        CLOCK.advance(Duration.ofHours(24).minusSeconds(1));
        Account again = loggedInAgain(account);
        assertThat(api.send(keyed(again, key, "daily")).text(), is(first.text()));
        CLOCK.advance(Duration.ofSeconds(1));
        Response afterADay = api.send(keyed(again, key, "daily"));
        assertThat(afterADay.status(), is(201));
        assertThat(afterADay.json().get("id").asLong(), not(first.json().get("id").asLong()));
        assertThat(rows(account), is("2"));
    }

    @Test
    void expiredKeysAreDeletedByLaterKeyedRequests() {
        Account account = api.newAccount();
        api.send(keyed(account, newKey(), "old"));
        CLOCK.advance(Duration.ofHours(25));
        api.send(keyed(loggedInAgain(account), newKey(), "new"));
        assertThat(app.query("SELECT count(*) FROM idempotency_keys WHERE user_id = " + account.id()), is("1"));
        assertThat(rows(account), is("2"));
    }

    @Test
    void aFailedRequestLeavesItsKeyFreeForTheRetry() {
        Account account = api.newAccount();
        String key = newKey();
        Response invalid = api.send(keyedBody(account, key, "{\"title\": \"\"}"));
        assertThat(invalid.status(), is(422));
        assertThat(api.send(keyed(account, key, "fixed")).status(), is(201));
        assertThat(rows(account), is("1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "tab\tinside"})
    void keysOutsideVisibleAsciiAreUnprocessable(String key) {
        Account account = api.newAccount();
        Response response = api.send(keyed(account, key, "t"));
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"header\",\"Idempotency-Key\"]"));
        assertThat(rows(account), is("0"));
    }

    @Test
    void keysOver255CharactersAreUnprocessable() {
        Account account = api.newAccount();
        assertThat(api.send(keyed(account, "k".repeat(255), "t")).status(), is(201));
        assertThat(api.send(keyed(account, "k".repeat(256), "t")).status(), is(422));
    }

    @Test
    void aKeyedRequestWithARevokedTokenIsUnauthorized() {
        Account account = api.newAccount();
        String key = newKey();
        api.send(keyed(account, key, "before logout"));
        api.send("POST", "/auth/logout", account.token(), null);
        Response response = api.send(keyed(account, key, "before logout"));
        assertThat(response.status(), is(401));
    }
}
