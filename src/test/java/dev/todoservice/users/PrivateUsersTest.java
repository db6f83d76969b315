package dev.todoservice.users;

import java.net.URI;
import java.time.Clock;
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

import static dev.todoservice.testing.ApiClient.fieldNames;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** With {@code USERS_LIST_PUBLIC=false}, production's default, reading users needs a token and hides other emails. */
@ServerTest
class PrivateUsersTest {

    private final ApiClient api;

    PrivateUsersTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestApp.setup(server, Map.of("USERS_LIST_PUBLIC", "false"), Clock.systemUTC());
    }




    @Test
    void signedInReadersSeeTheirOwnEmailAndOnlyTheNamesOfOthers() {
        Account me = api.newAccount();
        Account other = api.newAccount();
        Response response = api.send("GET", "/users/?limit=1000", me.token(), null);
        assertThat(response.status(), is(200));
        for (JsonNode user : response.json().get("users")) {
            if (user.get("id").asLong() == me.id()) {
                assertThat(fieldNames(user), containsInAnyOrder("id", "username", "email"));
                assertThat(user.get("email").asText(), is(me.email()));
            } else {
                assertThat(fieldNames(user), containsInAnyOrder("id", "username"));
            }
        }
        assertThat(response.text(), not(containsString(other.email())));
        assertThat(response.header("Cache-Control"), is("no-store"));
    }

    @Test
    void aSignedInReaderSeesAnotherUserWithoutEmail() {
        Account me = api.newAccount();
        Account other = api.newAccount();
        Response response = api.send("GET", "/users/" + other.id(), me.token(), null);
        assertThat(response.status(), is(200));
        assertThat(fieldNames(response.json()), containsInAnyOrder("id", "username"));
        assertThat(response.json().get("username").asText(), is(other.username()));
        assertThat(api.send("GET", "/users/" + me.id(), me.token(), null).json().get("email").asText(),
                   is(me.email()));
    }

}
