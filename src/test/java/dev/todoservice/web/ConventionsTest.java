package dev.todoservice.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import dev.todoservice.logging.JsonFormatter;
import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.LogCapture;
import dev.todoservice.testing.RawConnection;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.todoservice.testing.ApiClient.fieldNames;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@ServerTest
class ConventionsTest {

    private final ApiClient api;
    private final WebServer server;

    ConventionsTest(URI uri, WebServer server) {
        this.api = new ApiClient(uri);
        this.server = server;
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestApp.setup(server);
    }

    @Test
    void rootGreetsInPortuguese() {
        Response response = api.get("/");
        assertThat(response.status(), is(200));
        assertThat(response.json().get("message").asText(), is("Olá Mundo!"));
        assertThat(response.header("Content-Type"), startsWith("application/json"));
    }

    @Test
    void helloGreets() {
        Response response = api.get("/hello");
        assertThat(response.status(), is(200));
        assertThat(response.json().get("message").asText(), is("Hello World"));
    }

    @Test
    void everyResponseCarriesANewRequestIdAndProcessingTime() {
        Response response = api.get("/hello");
        assertThat(response.header("X-Request-ID"), matchesPattern("[0-9a-f-]{36}"));
        assertThat(response.header("X-Processed-Time"), matchesPattern("\\d+\\.\\d+"));
        assertThat(api.get("/hello").header("X-Request-ID"), not(response.header("X-Request-ID")));
    }

    @Test
    void aValidIncomingRequestIdIsEchoed() {
        Response response = api.send(api.request("/hello").header("X-Request-ID", "abc-123_XYZ").build());
        assertThat(response.header("X-Request-ID"), is("abc-123_XYZ"));
    }

    @Test
    void anOverlongIncomingRequestIdIsReplaced() {
        String longId = "a".repeat(129);
        Response response = api.send(api.request("/hello").header("X-Request-ID", longId).build());
        assertThat(response.header("X-Request-ID"), matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void errorResponsesCarryRequestIdAndProcessingTime() {
        Response response = api.send(api.request("/nope").header("X-Request-ID", "trace-me").build());
        assertThat(response.header("X-Request-ID"), is("trace-me"));
        assertThat(response.header("X-Processed-Time"), matchesPattern("\\d+\\.\\d+"));
    }

    @Test
    void forwardedHeadersFromATrustedProxyNameTheRealClient() {
        try (LogCapture capture = LogCapture.start(RequestLogFilter.ACCESS_LOG, new JsonFormatter())) {
            api.send(api.request("/hello")
                             .header("X-Request-ID", "forwarded-trusted")
                             .header("X-Forwarded-For", "198.51.100.1, 203.0.113.9")
                             .header("X-Forwarded-Proto", "https")
                             .header("X-Forwarded-Host", "todo.example.com")
                             .GET().build());
            String line = capture.awaitLinesContaining("forwarded-trusted").getFirst();
            assertThat(line, containsString("\"client_ip\":\"203.0.113.9\""));
            assertThat(line, containsString("\"scheme\":\"https\""));
            assertThat(line, containsString("\"host\":\"todo.example.com\""));
        }
    }

    @Test
    void unknownRouteIsJsonNotFound() {
        Response response = api.get("/does-not-exist");
        assertThat(response.status(), is(404));
        assertThat(response.detail(), is("Not Found"));
    }


    @ParameterizedTest
    @ValueSource(strings = {"/users", "/users/"})
    void collectionsAnswerWithAndWithoutTrailingSlash(String path) {
        Response response = api.get(path);
        assertThat(response.status(), is(200));
        assertThat(fieldNames(response.json()), contains("users"));
    }

    @Test
    void observabilityIsNotOnThePublicPort() {
        assertThat(api.get("/observe/health").status(), is(404));
        assertThat(api.get("/observe/metrics").status(), is(404));
    }

    @Test
    void malformedJsonIsUnprocessable() {
        Response response = api.send("POST", "/users/", null, "{\"username\": ");
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("json_invalid"));
        assertThat(response.json().at("/detail/0/loc/0").asText(), is("body"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsUnprocessable() {
        Response response = api.send("POST", "/users/", null, "[1, 2]");
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("model_attributes_type"));
    }

    @Test
    void aMissingBodyIsUnprocessable() {
        Response response = api.send("POST", "/users/", null, null);
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("missing"));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"body\"]"));
    }

    @Test
    void deeplyNestedJsonIsRejectedAsInvalid() {
        String nested = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        Response response = api.send("POST", "/users/", null, nested);
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("json_invalid"));
    }

    @Test
    void invalidUtf8IsRejectedAsInvalidJson() {
        byte[] body = "{\"username\": \"ab\"}".getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(body, body.length);
        broken[14] = (byte) 0xC3;
        broken[15] = (byte) 0x28;
        Response response = api.send(api.request("/users/")
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofByteArray(broken))
                                             .build());
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("json_invalid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0ae", "e080ae", "f08080ae", "eda080", "f8888080ae", "ff"})
    void overlongOrOtherwiseMalformedUtf8InAStringIsInvalidJsonNotAccepted(String hex) {
        Account account = api.newAccount();
        byte[] before = "{\"title\": \"a".getBytes(StandardCharsets.UTF_8);
        byte[] after = "b\", \"description\": \"\", \"state\": \"todo\"}".getBytes(StandardCharsets.UTF_8);
        byte[] malformed = HexFormat.of().parseHex(hex);
        byte[] body = new byte[before.length + malformed.length + after.length];
        System.arraycopy(before, 0, body, 0, before.length);
        System.arraycopy(malformed, 0, body, before.length, malformed.length);
        System.arraycopy(after, 0, body, before.length + malformed.length, after.length);
        Response response = api.send(api.request("/todos/")
                                             .header("Content-Type", "application/json")
                                             .header("Authorization", "Bearer " + account.token())
                                             .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                             .build());
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/type").asText(), is("json_invalid"));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"body\"," + before.length + "]"));
    }

    @Test
    void aByteOrderMarkBeforeJsonIsIgnored() {
        byte[] json = "{\"username\": \"bom_user\", \"email\": \"bom@example.com\", \"password\": \"password1\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(json, 0, body, 3, json.length);
        Response response = api.send(api.request("/users/")
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                             .build());
        assertThat(response.status(), is(201));
    }

    @Test
    void publicAnswersCarryNoCacheControl() {
        assertThat(api.get("/hello").header("Cache-Control"), is(nullValue()));
    }

    @Test
    void aDeclaredBodyOverOneMebibyteIsTooLarge() {
        String response = RawConnection.exchange(server.port(), "POST /users/ HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1048577\r\n\r\n");
        assertThat(response, startsWith("HTTP/1.1 413"));
        assertThat(response, containsString("{\"detail\":\"Request body too large\"}"));
    }

    @Test
    void aStreamedBodyOverOneMebibyteIsTooLarge() {
        byte[] big = new byte[Bodies.MAX_BYTES + 10];
        Arrays.fill(big, (byte) 'a');
        Response response = api.send(api.request("/users/")
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofInputStream(
                                                     () -> new java.io.ByteArrayInputStream(big)))
                                             .build());
        assertThat(response.status(), is(413));
        assertThat(response.detail(), is("Request body too large"));
    }

    @Test
    void malformedHttpGetsAJsonBadRequest() {
        String response = RawConnection.exchange(
                server.port(), "GET /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: nope\r\n\r\n");
        assertThat(response, startsWith("HTTP/1.1 400"));
        assertThat(response, containsString("{\"detail\":\"Bad Request\"}"));
    }

    @Test
    void negativeContentLengthIsABadRequestNotAHang() {
        String response = RawConnection.exchange(
                server.port(), "POST /users/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n");
        assertThat(response, startsWith("HTTP/1.1 400"));
        assertThat(response, containsString("{\"detail\":\"Bad Request\"}"));
    }

    @Test
    void chunkFramingErrorsFromATrustedProxyAreBadRequestsNotServerErrors() {
        String response = RawConnection.exchange(server.port(), "POST /users/ HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n");
        assertThat(response, startsWith("HTTP/1.1 400"));
        assertThat(response, containsString("Connection: close"));
        assertThat(response, containsString("{\"detail\":\"Invalid request body\"}"));
    }
}
