package dev.todoservice.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.Operations;
import dev.todoservice.testing.Operations.Operation;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The answers every route gives alike, driven by the OpenAPI document (which OpenApiTest holds equal to the route
 * table): a route that takes a token answers 401 before looking at its input, and a known path answers any other
 * method 405 with {@code Allow}. User reads are private here, as in production.
 */
@ServerTest
class RouteFamiliesTest {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static String revokedToken;
    private final ApiClient api;

    RouteFamiliesTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestApp.setup(server, Map.of("USERS_LIST_PUBLIC", "false"), Clock.systemUTC());
    }

    // One account logged out for all operations: its token is well-formed and unexpired, but revoked.
    private static synchronized String revokedToken(ApiClient api) {
        if (revokedToken == null) {
            Account account = api.newAccount();
            assertThat(api.send("POST", "/auth/logout", account.token(), null).status(), is(200));
            revokedToken = account.token();
        }
        return revokedToken;
    }

    static Stream<Operation> securedOperations() {
        return Operations.all().stream().filter(Operation::secured);
    }

    // Input that would be 422 or 404 with a valid token: a path id that is no id, a query and a body that are wrong.
    private Response sendBadInput(Operation operation, String token) {
        HttpRequest.Builder request = api.request(operation.pathWith("not-an-id") + "?limit=nonsense")
                .method(operation.method(), operation.withBody()
                        ? HttpRequest.BodyPublishers.ofString("{broken")
                        : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return api.send(request.build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("securedOperations")
    void withoutATokenTheAnswerIs401NotAuthenticatedWhateverTheInput(Operation operation) {
        Response response = sendBadInput(operation, null);
        assertThat(response.text(), response.status(), is(401));
        assertThat(response.detail(), is("Not authenticated"));
        assertThat(response.header("WWW-Authenticate"), is("Bearer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("securedOperations")
    void withARevokedTokenTheAnswerIs401CouldNotValidateWhateverTheInput(Operation operation) {
        Response response = sendBadInput(operation, revokedToken(api));
        assertThat(response.text(), response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
        assertThat(response.header("WWW-Authenticate"), is("Bearer"));
    }

    static Stream<Arguments> undocumentedMethods() {
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        Operations.all().forEach(operation -> documented.computeIfAbsent(operation.path(), path -> new TreeSet<>())
                .add(operation.method()));
        return documented.entrySet().stream().flatMap(path -> METHODS.stream()
                .filter(method -> !path.getValue().contains(method))
                .map(method -> Arguments.of(method, path.getKey(), path.getValue())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("undocumentedMethods")
    void anotherMethodOnAKnownPathIs405NamingTheDocumentedOnes(String method, String path, Set<String> allowed) {
        Response response = api.send(method, path.replaceAll("\\{[^}]+}", "1"), null, null);
        assertThat(response.text(), response.status(), is(405));
        assertThat(response.detail(), is("Method Not Allowed"));
        assertThat(new TreeSet<>(List.of(response.header("Allow").split(", "))), is(allowed));
    }
}
