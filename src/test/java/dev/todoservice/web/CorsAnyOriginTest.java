package dev.todoservice.web;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static dev.todoservice.web.CorsTest.getFrom;
import static dev.todoservice.web.CorsTest.preflight;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** {@code CORS_ALLOWED_ORIGINS=*}: any origin, answered with the wildcard and never with credentials. */
@ServerTest
class CorsAnyOriginTest {

    private final ApiClient api;

    CorsAnyOriginTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestApp.setup(server, Map.of("CORS_ALLOWED_ORIGINS", "*"), Clock.systemUTC());
    }

    @Test
    void anyOriginGetsTheWildcardNeverItsOwnNameNorCredentials() {
        Response response = getFrom(api, "/hello", "https://anywhere.example");
        assertThat(response.header("Access-Control-Allow-Origin"), is("*"));
        assertThat(response.header("Access-Control-Allow-Credentials"), is(nullValue()));
        assertThat(response.header("Vary"), is(nullValue()));
    }

    @Test
    void preflightFromAnyOriginIsAnswered() {
        Response response = preflight(api, "/users/", "http://localhost:3000", "POST");
        assertThat(response.status(), is(204));
        assertThat(response.header("Access-Control-Allow-Origin"), is("*"));
        assertThat(response.header("Access-Control-Allow-Methods"), is("GET, POST"));
        assertThat(response.header("Access-Control-Allow-Credentials"), is(nullValue()));
    }

    @Test
    void theDocumentationStaysSameOrigin() {
        assertThat(getFrom(api, "/openapi", "https://anywhere.example").header("Access-Control-Allow-Origin"),
                   is(nullValue()));
        assertThat(getFrom(api, "/openapi.json", "https://anywhere.example").header("Access-Control-Allow-Origin"),
                   is(nullValue()));
    }
}
