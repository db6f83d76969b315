package dev.todoservice.todos;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.todoservice.testing.ApiClient.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

@ServerTest
class TodoApiTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-06-01T12:00:00.123456789Z"));
    private static TestApp app;
    private final ApiClient api;

    TodoApiTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        app = TestApp.setup(server, Map.of(), CLOCK);
    }

    private Response list(Account account, String query) {
        return api.send("GET", "/todos/" + query, account.token(), null);
    }

    private static java.util.List<String> titles(Response response) {
        return response.json().get("todos").findValuesAsText("title");
    }

    @Test
    void createReturnsTheTodoWithTimestamps() {
        Account account = api.newAccount();
        Response response = api.send("POST", "/todos/", account.token(),
                                     json(Map.of("title", "Write tests", "description", "all of them",
                                                 "state", "doing")));
        assertThat(response.status(), is(201));
        JsonNode todo = response.json();
        assertThat(todo.get("title").asText(), is("Write tests"));
        assertThat(todo.get("description").asText(), is("all of them"));
        assertThat(todo.get("state").asText(), is("doing"));
        assertThat(todo.get("id").asLong(), greaterThan(0L));
        String expected = CLOCK.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
        assertThat(todo.get("created_at").asText(), is(expected));
        assertThat(todo.get("updated_at").asText(), is(expected));
    }

    @Test
    void unicodeRoundTripsUnchanged() {
        Account account = api.newAccount();
        String title = "Café ☕ 日本語 👩‍💻 Ünïcödé";
        JsonNode todo = api.createTodo(account, title, "Ёлка 🎄 \"quotes\" \\ backslash", "todo");
        assertThat(todo.get("title").asText(), is(title));
        assertThat(titles(list(account, "")), contains(title));
        assertThat(list(account, "").json().at("/todos/0/description").asText(),
                   is("Ёлка 🎄 \"quotes\" \\ backslash"));
    }


    @Test
    void deletedUserWithBadBodyIsUnauthorizedNotUnprocessable() {
        Account account = api.newAccount();
        api.send("DELETE", "/users/" + account.id(), account.token(), null);
        Response response = api.send("POST", "/todos/", account.token(), "{}");
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    // Every field rule: TodoInputTest.
    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
            "title, '', string_too_short",
            "state, finished, enum",
    })
    void invalidFieldIsUnprocessable(String field, String value, String type) {
        Account account = api.newAccount();
        Map<String, Object> body = new HashMap<>(Map.of("title", "t", "description", "d", "state", "todo"));
        body.put(field, value);
        Response response = api.send("POST", "/todos/", account.token(), json(body));
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is(type));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"body\",\"" + field + "\"]"));
    }

    @Test
    void overlongTitleAndDescriptionAreUnprocessable() {
        Account account = api.newAccount();
        Response response = api.send("POST", "/todos/", account.token(),
                                     json(Map.of("title", "t".repeat(201), "description", "d".repeat(2001),
                                                 "state", "todo")));
        assertThat(response.status(), is(422));
        assertThat(response.json().get("detail").findValuesAsText("type"),
                   contains("string_too_long", "string_too_long"));
    }

    @Test
    void longestAllowedTextIsAccepted() {
        Account account = api.newAccount();
        JsonNode todo = api.createTodo(account, "😀".repeat(200), "d".repeat(2000), "draft");
        assertThat(todo.get("title").asText().codePointCount(0, todo.get("title").asText().length()), is(200));
    }

    @Test
    void textThatPostgresCannotStoreIsUnprocessable() {
        Account account = api.newAccount();
        Response nul = api.send("POST", "/todos/", account.token(),
                                "{\"title\": \"a\\u0000b\", \"description\": \"\", \"state\": \"todo\"}");
        Response loneSurrogate = api.send("POST", "/todos/", account.token(),
                                          "{\"title\": \"a\\ud800b\", \"description\": \"\", \"state\": \"todo\"}");
        assertThat(nul.status(), is(422));
        assertThat(loneSurrogate.status(), is(422));
    }

    @Test
    void missingFieldsAreEachReported() {
        Account account = api.newAccount();
        Response response = api.send("POST", "/todos/", account.token(), "{}");
        assertThat(response.status(), is(422));
        assertThat(response.json().get("detail").findValuesAsText("type"), contains("missing", "missing", "missing"));
    }

    @Test
    void listShowsOnlyTheCallersTodosInIdOrder() {
        Account me = api.newAccount();
        Account other = api.newAccount();
        api.createTodo(me, "first", "", "todo");
        api.createTodo(other, "not mine", "", "todo");
        api.createTodo(me, "second", "", "done");
        Response response = list(me, "");
        assertThat(response.status(), is(200));
        assertThat(titles(response), contains("first", "second"));
    }

    @Test
    void authenticatedAnswersAreNeverCachedErrorsIncluded() {
        Account account = api.newAccount();
        assertThat(list(account, "").header("Cache-Control"), is("no-store"));
        assertThat(api.send("PATCH", "/todos/999999999", account.token(), "{}").header("Cache-Control"),
                   is("no-store"));
        assertThat(api.send("GET", "/todos/", "not-a-token", null).header("Cache-Control"), is("no-store"));
    }

    @Test
    void listOfAUserWithoutTodosIsEmpty() {
        assertThat(titles(list(api.newAccount(), "")), empty());
    }

    @Test
    void listFiltersByCaseSensitiveSubstrings() {
        Account account = api.newAccount();
        api.createTodo(account, "Buy milk", "at the shop", "todo");
        api.createTodo(account, "buy bread", "at the bakery", "todo");
        api.createTodo(account, "Call mum", "about the shop", "done");
        assertThat(titles(list(account, "?title=Buy")), contains("Buy milk"));
        assertThat(titles(list(account, "?description=shop")), contains("Buy milk", "Call mum"));
        assertThat(titles(list(account, "?description=shop&state=done")), contains("Call mum"));
        assertThat(titles(list(account, "?state=todo")), contains("Buy milk", "buy bread"));
    }

    @Test
    void likeWildcardsInFiltersMatchLiterally() {
        Account account = api.newAccount();
        api.createTodo(account, "100% done", "", "todo");
        api.createTodo(account, "plain", "", "todo");
        assertThat(titles(list(account, "?title=%25%25%25")), empty());
        assertThat(titles(list(account, "?title=0%25%20")), contains("100% done"));
        assertThat(titles(list(account, "?title=___")), empty());
    }

    @Test
    void backslashesInFiltersMatchLiterally() {
        Account account = api.newAccount();
        api.createTodo(account, "C:\\temp\\%x", "", "todo");
        api.createTodo(account, "C:tempx", "", "todo");
        assertThat(titles(list(account, "?title=%5C%5Ct")), empty());
        assertThat(titles(list(account, "?title=%5Ctemp%5C%25")), contains("C:\\temp\\%x"));
        assertThat(titles(list(account, "?title=%3A%5Ct")), contains("C:\\temp\\%x"));
    }

    @Test
    void listPaginatesWithOffsetAndLimit() {
        Account account = api.newAccount();
        for (int i = 1; i <= 5; i++) {
            api.createTodo(account, "todo " + i, "", "todo");
        }
        assertThat(titles(list(account, "?offset=1&limit=2")), contains("todo 2", "todo 3"));
        assertThat(titles(list(account, "?offset=4")), contains("todo 5"));
        assertThat(titles(list(account, "?offset=10")), empty());
    }

    // Every query rule: TodoInputTest.
    @ParameterizedTest
    @CsvSource({
            "?title=ab, title, string_too_short",
            "?state=finished, state, enum",
            "?limit=ten, limit, int_parsing",
    })
    void invalidQueryIsUnprocessable(String query, String field, String type) {
        Response response = list(api.newAccount(), query);
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"query\",\"" + field + "\"]"));
        assertThat(response.json().at("/detail/0/type").asText(), is(type));
    }


    @Test
    void patchChangesOnlyGivenFieldsAndMovesUpdatedAt() {
        Account account = api.newAccount();
        JsonNode todo = api.createTodo(account, "original", "keep me", "todo");
        CLOCK.advance(Duration.ofMinutes(5));
        Response response = api.send("PATCH", "/todos/" + todo.get("id").asLong(), account.token(),
                                     json(Map.of("state", "done")));
        assertThat(response.status(), is(200));
        JsonNode patched = response.json();
        assertThat(patched.get("state").asText(), is("done"));
        assertThat(patched.get("title").asText(), is("original"));
        assertThat(patched.get("description").asText(), is("keep me"));
        assertThat(patched.get("created_at").asText(), is(todo.get("created_at").asText()));
        assertThat(Instant.parse(patched.get("updated_at").asText()),
                   is(Instant.parse(todo.get("updated_at").asText()).plus(Duration.ofMinutes(5))));
    }

    @Test
    void emptyPatchIsValidAndOnlyMovesUpdatedAt() {
        Account account = api.newAccount();
        JsonNode todo = api.createTodo(account, "same", "same", "draft");
        CLOCK.advance(Duration.ofSeconds(1));
        Response response = api.send("PATCH", "/todos/" + todo.get("id").asLong(), account.token(), "{}");
        assertThat(response.status(), is(200));
        assertThat(response.json().get("title").asText(), is("same"));
        assertThat(response.json().get("updated_at").asText(), is(
                Instant.parse(todo.get("updated_at").asText()).plusSeconds(1).toString()));
    }

    @Test
    void patchCanEmptyTheDescription() {
        Account account = api.newAccount();
        JsonNode todo = api.createTodo(account, "title", "to be removed", "todo");
        Response response = api.send("PATCH", "/todos/" + todo.get("id").asLong(), account.token(),
                                     json(Map.of("description", "")));
        assertThat(response.json().get("description").asText(), is(""));
    }

    @Test
    void patchWithInvalidFieldIsUnprocessable() {
        Account account = api.newAccount();
        JsonNode todo = api.createTodo(account, "title", "", "todo");
        Response response = api.send("PATCH", "/todos/" + todo.get("id").asLong(), account.token(),
                                     "{\"title\": null, \"state\": \"nope\"}");
        assertThat(response.status(), is(422));
        assertThat(response.json().get("detail").findValuesAsText("type"), contains("string_type", "enum"));
    }

    @Test
    void patchingSomeoneElsesTodoIsNotFound() {
        Account owner = api.newAccount();
        Account intruder = api.newAccount();
        JsonNode todo = api.createTodo(owner, "mine", "", "todo");
        Response response = api.send("PATCH", "/todos/" + todo.get("id").asLong(), intruder.token(),
                                     json(Map.of("title", "stolen")));
        assertThat(response.status(), is(404));
        assertThat(response.detail(), is("Task not found."));
        assertThat(titles(list(owner, "")), contains("mine"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999", "0", "abc", "-3", "99999999999999999999"})
    void patchingAMissingOrInvalidIdIsNotFound(String id) {
        Response response = api.send("PATCH", "/todos/" + id, api.newAccount().token(), "{}");
        assertThat(response.status(), is(404));
        assertThat(response.detail(), is("Task not found."));
    }


    @Test
    void deleteRemovesTheTodo() {
        Account account = api.newAccount();
        JsonNode todo = api.createTodo(account, "doomed", "", "trash");
        Response response = api.send("DELETE", "/todos/" + todo.get("id").asLong(), account.token(), null);
        assertThat(response.status(), is(200));
        assertThat(response.json().get("message").asText(), is("Task has been deleted successfully."));
        assertThat(titles(list(account, "")), empty());
        Response again = api.send("DELETE", "/todos/" + todo.get("id").asLong(), account.token(), null);
        assertThat(again.status(), is(404));
        assertThat(again.detail(), is("Task not found."));
    }

    @Test
    void deletingSomeoneElsesTodoIsNotFoundAndKeepsIt() {
        Account owner = api.newAccount();
        JsonNode todo = api.createTodo(owner, "keep", "", "todo");
        Response response = api.send("DELETE", "/todos/" + todo.get("id").asLong(), api.newAccount().token(), null);
        assertThat(response.status(), is(404));
        assertThat(titles(list(owner, "")), contains("keep"));
    }


    @Test
    void stateOutsideTheEnumCannotBeStoredEvenBypassingTheApi() {
        Account account = api.newAccount();
        JsonNode todo = api.createTodo(account, "t", "", "todo");
        String result;
        try {
            app.sql("UPDATE todos SET state = 'bogus' WHERE id = " + todo.get("id").asLong());
            result = "stored";
        } catch (IllegalStateException e) {
            result = "rejected";
        }
        assertThat(result, is("rejected"));
    }

}
