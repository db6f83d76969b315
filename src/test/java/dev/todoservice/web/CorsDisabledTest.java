package dev.todoservice.web;

import java.net.URI;

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

/** The default, no {@code CORS_ALLOWED_ORIGINS}: no origin may call the API from a browser. */
@ServerTest
class CorsDisabledTest {

    private final ApiClient api;

    CorsDisabledTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestApp.setup(server);
    }

    @Test
    void preflightIsForbidden() {
        Response response = preflight(api, "/todos/", "http://localhost:5173", "POST");
        assertThat(response.status(), is(403));
        assertThat(response.header("Access-Control-Allow-Origin"), is(nullValue()));
    }

    @Test
    void crossOriginCallsAreServedWithoutAllowHeaders() {
        Response response = getFrom(api, "/hello", "http://localhost:5173");
        assertThat(response.status(), is(200));
        assertThat(response.header("Access-Control-Allow-Origin"), is(nullValue()));
        assertThat(response.header("Vary"), is(nullValue()));
    }

    @Test
    void plainOptionsIsStillMethodNotAllowed() {
        Response response = api.send("OPTIONS", "/hello", null, null);
        assertThat(response.status(), is(405));
        assertThat(response.header("Allow"), is("GET"));
    }
}
