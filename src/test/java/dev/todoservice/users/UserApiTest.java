package dev.todoservice.users;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.todoservice.testing.ApiClient.fieldNames;
import static dev.todoservice.testing.ApiClient.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

@ServerTest
class UserApiTest {

    private static TestApp app;
    private final ApiClient api;

    UserApiTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        app = TestApp.setup(server);
    }

    private Response signUp(String username, String email, String password) {
        return api.send("POST", "/users/", null,
                        json(Map.of("username", username, "email", email, "password", password)));
    }

    @Test
    void signUpReturnsCreatedUserWithoutPassword() {
        Response response = signUp("carol", "carol@example.com", "carols-password");
        assertThat(response.status(), is(201));
        JsonNode user = response.json();
        assertThat(user.get("username").asText(), is("carol"));
        assertThat(user.get("email").asText(), is("carol@example.com"));
        assertThat(user.get("id").asLong(), greaterThan(0L));
        assertThat(fieldNames(user), contains("id", "username", "email"));
        assertThat(response.text(), not(containsString("carols-password")));
    }

    @Test
    void signUpStoresEmailInLowerCase() {
        Response response = signUp("dave", "Dave@Example.COM", "daves-password");
        assertThat(response.json().get("email").asText(), is("dave@example.com"));
    }

    @Test
    void passwordIsStoredOnlyAsArgon2idHash() {
        Account account = api.newAccount();
        String hash = app.query("SELECT password_hash FROM users WHERE id = " + account.id());
        assertThat(hash, startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertThat(hash, not(containsString(account.password())));
    }

    @Test
    void duplicateUsernameIsConflict() {
        Account existing = api.newAccount();
        Response response = signUp(existing.username(), "other-" + existing.email(), "some-password");
        assertThat(response.status(), is(409));
        assertThat(response.detail(), is("Username already exists"));
    }

    @Test
    void duplicateEmailIsConflictRegardlessOfCase() {
        Account existing = api.newAccount();
        Response response = signUp("someone-else", existing.email().toUpperCase(), "some-password");
        assertThat(response.status(), is(409));
        assertThat(response.detail(), is("Email already exists"));
    }

    @Test
    void usernamesDifferingOnlyInCaseAreTheSameUsername() {
        Account existing = api.newAccount();
        String shouted = existing.username().toUpperCase();
        Response response = signUp(shouted, "shouting-" + existing.email(), "some-password");
        assertThat(response.status(), is(409));
        assertThat(response.detail(), is("Username already exists"));
    }

    @Test
    void usernameKeepsTheCaseItWasGivenIn() {
        Response response = signUp("MixedCase_Name", "mixed-case@example.com", "some-password");
        assertThat(response.status(), is(201));
        assertThat(response.json().get("username").asText(), is("MixedCase_Name"));
    }

    @Test
    void updateToAnotherUsersNameInAnotherCaseIsConflict() {
        Account me = api.newAccount();
        Account other = api.newAccount();
        Response response = api.send("PUT", "/users/" + me.id(), me.token(),
                                     json(Map.of("username", other.username().toUpperCase(), "email", me.email(),
                                                 "password", "whatever-password")));
        assertThat(response.status(), is(409));
        assertThat(response.detail(), is("Username or Email already exists"));
    }

    @Test
    void updateMayChangeTheCaseOfOnesOwnName() {
        Account me = api.newAccount();
        Response response = api.send("PUT", "/users/" + me.id(), me.token(),
                                     json(Map.of("username", me.username().toUpperCase(), "email", me.email(),
                                                 "password", me.password())));
        assertThat(response.status(), is(200));
        assertThat(response.json().get("username").asText(), is(me.username().toUpperCase()));
    }

    @Test
    void usernameConflictIsReportedBeforeEmailConflict() {
        Account existing = api.newAccount();
        Response response = signUp(existing.username(), existing.email(), "some-password");
        assertThat(response.detail(), is("Username already exists"));
    }

    // Every field rule: UserInputTest.
    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
            "username, has space, string_pattern_mismatch",
            "email, not-an-email, value_error",
    })
    void invalidFieldIsUnprocessable(String field, String value, String type) {
        Map<String, Object> body = new HashMap<>(Map.of("username", "valid_name", "email", "valid@example.com",
                                                        "password", "valid-password"));
        body.put(field, value);
        Response response = api.send("POST", "/users/", null, json(body));
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is(type));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"body\",\"" + field + "\"]"));
    }

    @Test
    void overlongPasswordIsUnprocessableAndNotEchoed() {
        String password = "p".repeat(129);
        Response response = signUp("longpass", "longpass@example.com", password);
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("string_too_long"));
        assertThat(response.json().at("/detail/0/input").toString(), is("null"));
        assertThat(response.text(), not(containsString(password)));
    }

    @Test
    void everyMissingFieldIsReported() {
        Response response = api.send("POST", "/users/", null, "{}");
        assertThat(response.status(), is(422));
        assertThat(response.json().get("detail").size(), is(3));
        assertThat(response.json().findValuesAsText("type"), contains("missing", "missing", "missing"));
    }

    @Test
    void wrongTypeIsUnprocessable() {
        Response response = api.send("POST", "/users/", null,
                                     "{\"username\": 42, \"email\": \"x@example.com\", \"password\": \"password1\"}");
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("string_type"));
        assertThat(response.json().at("/detail/0/input").asInt(), is(42));
    }

    @Test
    void listIsOrderedByIdAndPaginated() {
        long first = api.newAccount().id();
        long second = api.newAccount().id();
        long third = api.newAccount().id();
        Response all = api.get("/users/?limit=1000");
        assertThat(all.status(), is(200));
        JsonNode users = all.json().get("users");
        List<Long> ids = new ArrayList<>();
        users.forEach(user -> ids.add(user.get("id").asLong()));
        assertThat(ids, is(ids.stream().sorted().toList()));
        int index = 0;
        while (users.get(index).get("id").asLong() != first) {
            index++;
        }
        Response page = api.get("/users?offset=" + (index + 1) + "&limit=2");
        assertThat(page.json().get("users").findValuesAsText("id"), contains(Long.toString(second),
                                                                               Long.toString(third)));
        assertThat(fieldNames(page.json().get("users").get(0)), contains("id", "username", "email"));
    }

    @Test
    void listDefaultsToAtMostOneHundred() {
        assertThat(api.get("/users/").json().get("users").size(), lessThanOrEqualTo(100));
    }

    // Every pagination rule: ValidatorTest.
    @ParameterizedTest
    @CsvSource({
            "limit=0, limit, greater_than_equal",
            "offset=abc, offset, int_parsing",
    })
    void outOfRangePaginationIsUnprocessable(String query, String field, String type) {
        Response response = api.get("/users/?" + query);
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"query\",\"" + field + "\"]"));
        assertThat(response.json().at("/detail/0/type").asText(), is(type));
    }

    @Test
    void readsOneUser() {
        Account account = api.newAccount();
        Response response = api.get("/users/" + account.id());
        assertThat(response.status(), is(200));
        assertThat(response.json().get("username").asText(), is(account.username()));
        assertThat(fieldNames(response.json()), contains("id", "username", "email"));
    }

    @ParameterizedTest
    @CsvSource({"999999999", "0", "-1", "abc", "99999999999999999999999"})
    void unknownOrInvalidUserIdIsNotFound(String id) {
        Response response = api.get("/users/" + id);
        assertThat(response.status(), is(404));
        assertThat(response.detail(), is("User not found"));
    }

    @Test
    void updateReplacesOwnAccountAndRehashesPassword() {
        Account account = api.newAccount();
        String newEmail = "new-" + account.email();
        Response response = api.send("PUT", "/users/" + account.id(), account.token(),
                                     json(Map.of("username", "new-" + account.username(), "email", newEmail,
                                                 "password", "brand-new-password")));
        assertThat(response.status(), is(200));
        assertThat(response.json().get("email").asText(), is(newEmail));
        assertThat(response.json().get("id").asLong(), is(account.id()));
        assertThat(api.login(newEmail, "brand-new-password").status(), is(200));
        assertThat(api.login(newEmail, account.password()).status(), is(401));
    }


    @Test
    void updatingSomeoneElseIsForbidden() {
        Account me = api.newAccount();
        Account other = api.newAccount();
        Response response = api.send("PUT", "/users/" + other.id(), me.token(),
                                     json(Map.of("username", "hijack", "email", "hijack@example.com",
                                                 "password", "hijack-password")));
        assertThat(response.status(), is(403));
        assertThat(response.detail(), is("Not enough permissions"));
    }

    @Test
    void updateToTakenUsernameOrEmailIsConflict() {
        Account me = api.newAccount();
        Account other = api.newAccount();
        Response response = api.send("PUT", "/users/" + me.id(), me.token(),
                                     json(Map.of("username", me.username(), "email", other.email(),
                                                 "password", "whatever-password")));
        assertThat(response.status(), is(409));
        assertThat(response.detail(), is("Username or Email already exists"));
    }

    @Test
    void updateWithInvalidBodyIsUnprocessable() {
        Account me = api.newAccount();
        Response response = api.send("PUT", "/users/" + me.id(), me.token(), json(Map.of("username", "x")));
        assertThat(response.status(), is(422));
        assertThat(response.json().get("detail").size(), is(3));
    }

    @Test
    void updateWithInvalidIdIsUnprocessable() {
        Account me = api.newAccount();
        Response response = api.send("PUT", "/users/abc", me.token(),
                                     json(Map.of("username", "x", "email", "x@example.com", "password", "p")));
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"path\",\"user_id\"]"));
    }

    @Test
    void deleteRemovesOwnAccountAndItsTodos() {
        Account account = api.newAccount();
        api.createTodo(account, "to be cascaded", "", "todo");
        Response response = api.send("DELETE", "/users/" + account.id(), account.token(), null);
        assertThat(response.status(), is(200));
        assertThat(response.json().get("message").asText(), is("User deleted"));
        assertThat(api.get("/users/" + account.id()).status(), is(404));
        assertThat(app.query("SELECT count(*) FROM todos WHERE user_id = " + account.id()), is("0"));
    }

    @Test
    void updateRevokesTheTokensIssuedBeforeIt() {
        Account account = api.newAccount();
        api.send("PUT", "/users/" + account.id(), account.token(),
                 json(Map.of("username", account.username(), "email", account.email(),
                             "password", "changed-password")));
        Response response = api.send("GET", "/todos/", account.token(), null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void authenticatedAnswersAreNeverCached() {
        Account account = api.newAccount();
        assertThat(api.send("DELETE", "/users/" + (account.id() + 1000), account.token(), null)
                           .header("Cache-Control"), is("no-store"));
        assertThat(api.send("DELETE", "/users/" + account.id(), account.token(), null).header("Cache-Control"),
                   is("no-store"));
    }

    @Test
    void deletedUsersTokenNoLongerWorks() {
        Account account = api.newAccount();
        api.send("DELETE", "/users/" + account.id(), account.token(), null);
        Response response = api.send("GET", "/todos/", account.token(), null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void deletingSomeoneElseIsForbidden() {
        Account me = api.newAccount();
        Account other = api.newAccount();
        Response response = api.send("DELETE", "/users/" + other.id(), me.token(), null);
        assertThat(response.status(), is(403));
        assertThat(response.detail(), is("Not enough permissions"));
        assertThat(api.get("/users/" + other.id()).status(), is(200));
    }


}
