package dev.todoservice.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Map;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** CORS with a list of allowed origins: what a browser on an allowed and on a refused origin gets. */
@ServerTest
class CorsTest {

    private static final String ALLOWED = "https://app.example.com";
    private static final String REFUSED = "https://evil.example.net";
    private final ApiClient api;

    CorsTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        // Written the way an operator might: a default port and upper case are normalised to the browser's form.
        TestApp.setup(server, Map.of("CORS_ALLOWED_ORIGINS", "HTTPS://App.Example.com:443, http://localhost:5173"),
                      Clock.systemUTC());
    }

    /** An OPTIONS preflight as a browser sends it before a cross-origin call. */
    static Response preflight(ApiClient api, String path, String origin, String method) {
        return api.send(api.request(path)
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                .header("Origin", origin)
                                .header("Access-Control-Request-Method", method)
                                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                                .build());
    }

    /** A GET carrying an Origin header. */
    static Response getFrom(ApiClient api, String path, String origin) {
        return api.send(api.request(path).header("Origin", origin).GET().build());
    }

    @Test
    void preflightFromAnAllowedOriginIsAnsweredWithTheRoutesMethodsAndTheClientHeaders() {
        Response response = preflight(api, "/todos/", ALLOWED, "POST");
        assertThat(response.status(), is(204));
        assertThat(response.header("Access-Control-Allow-Origin"), is(ALLOWED));
        assertThat(response.header("Access-Control-Allow-Methods"), is("GET, POST"));
        assertThat(response.header("Access-Control-Allow-Headers"),
                   is("Authorization, Content-Type, Idempotency-Key, X-Request-ID"));
        assertThat(response.header("Access-Control-Max-Age"), is("600"));
        assertThat(response.header("Access-Control-Allow-Credentials"), is(nullValue()));
        assertThat(response.header("Vary"), is("Origin"));
    }

    @Test
    void preflightNamesTheMethodsOfThePathItWasSentTo() {
        assertThat(preflight(api, "/todos/7", ALLOWED, "PATCH").header("Access-Control-Allow-Methods"),
                   is("PATCH, DELETE"));
        assertThat(preflight(api, "/users/7", "http://localhost:5173", "PUT").header("Access-Control-Allow-Methods"),
                   is("GET, PUT, DELETE"));
        assertThat(preflight(api, "/auth/token", ALLOWED, "POST").header("Access-Control-Allow-Methods"), is("POST"));
    }

    @Test
    void preflightFromARefusedOriginIsForbiddenWithoutAnyAllowHeader() {
        Response response = preflight(api, "/todos/", REFUSED, "POST");
        assertThat(response.status(), is(403));
        assertThat(response.detail(), is("Cross-origin requests from this origin are not allowed"));
        assertThat(response.header("Access-Control-Allow-Origin"), is(nullValue()));
        assertThat(response.header("Access-Control-Allow-Methods"), is(nullValue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com.evil.net", "http://app.example.com",
                            "https://app.example.com:8443", "null", "https://APP.example.com"})
    void originsMatchExactlyAsBrowsersSendThem(String origin) {
        assertThat(preflight(api, "/hello", origin, "GET").status(), is(403));
        assertThat(getFrom(api, "/hello", origin).header("Access-Control-Allow-Origin"), is(nullValue()));
    }

    @Test
    void preflightToAnUnknownPathIsNotFound() {
        assertThat(preflight(api, "/nowhere", ALLOWED, "GET").status(), is(404));
    }

    @Test
    void aCallFromAnAllowedOriginMayReadTheAnswerAndItsHeaders() {
        Response response = getFrom(api, "/hello", ALLOWED);
        assertThat(response.status(), is(200));
        assertThat(response.header("Access-Control-Allow-Origin"), is(ALLOWED));
        assertThat(response.header("Access-Control-Expose-Headers"), containsString("X-Request-ID"));
        assertThat(response.header("Access-Control-Expose-Headers"), containsString("Retry-After"));
        assertThat(response.header("Vary"), is("Origin"));
    }

    @Test
    void errorAnswersCarryTheAllowHeaderToo() {
        Response response = getFrom(api, "/todos/", ALLOWED);
        assertThat(response.status(), is(401));
        assertThat(response.header("Access-Control-Allow-Origin"), is(ALLOWED));
        assertThat(response.header("WWW-Authenticate"), is("Bearer"));
    }

    @Test
    void aCallFromARefusedOriginIsServedButNotReadableByTheBrowser() {
        Response response = getFrom(api, "/hello", REFUSED);
        assertThat(response.status(), is(200));
        assertThat(response.header("Access-Control-Allow-Origin"), is(nullValue()));
        assertThat(response.header("Access-Control-Expose-Headers"), is(nullValue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/openapi", "/openapi.json", "/docs", "/docs/swagger-ui.css"})
    void theDocumentationNeverReflectsAnOrigin(String path) {
        Response response = getFrom(api, path, ALLOWED);
        assertThat(response.status(), is(200));
        assertThat(response.header("Access-Control-Allow-Origin"), is(nullValue()));
        Response preflight = preflight(api, path, ALLOWED, "GET");
        assertThat(preflight.header("Access-Control-Allow-Origin"), is(nullValue()));
        assertThat(preflight.header("Access-Control-Allow-Methods"), is(nullValue()));
    }
}
