package dev.todoservice.web;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

@ServerTest
class OpenApiTest {

    /** Routes that serve the documentation itself, deliberately not in it. */
    private static final Set<String> DOCUMENTATION_ROUTES =
            Set.of("GET /openapi.json", "GET /openapi", "GET /docs", "GET /docs/init.js", "GET /docs/{file}");
    private static TestApp app;
    private final ApiClient api;

    OpenApiTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        app = TestApp.setup(server, Map.of("ROOT_PATH", "/api/"), java.time.Clock.systemUTC());
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
        Set<String> routes = new TreeSet<>();
        for (HttpService service : app.application().services()) {
            service.routing(recorder(routes));
        }
        routes.removeAll(DOCUMENTATION_ROUTES);

        Set<String> documented = new TreeSet<>();
        JsonNode paths = api.get("/openapi.json").json().get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    documented.add(method.toUpperCase() + " " + path.getKey());
                }
            });
        }
        assertThat(routes, is(documented));
    }

    @Test
    void documentIsJsonWithTheProxyPrefixAsServer() {
        Response response = api.get("/openapi.json");
        assertThat(response.status(), is(200));
        assertThat(response.header("Content-Type"), startsWith("application/json"));
        assertThat(response.json().get("openapi").asText(), startsWith("3."));
        assertThat(response.json().at("/servers/0/url").asText(), is("/api"));
    }

    @Test
    void everyOperationHasAnExampleForItsSuccessResponse() {
        JsonNode paths = api.get("/openapi.json").json().get("paths");
        paths.forEach(path -> path.fields().forEachRemaining(operation -> {
            if (operation.getKey().equals("parameters")) {
                return;
            }
            JsonNode success = operation.getValue().get("responses").fields().next().getValue();
            assertThat(operation.getKey() + " " + success, success.at("/content/application~1json/example")
                    .isMissingNode(), is(false));
        }));
    }

    @Test
    void swaggerUiIsServedFromTheJar() {
        Response page = api.get("/docs");
        assertThat(page.status(), is(200));
        assertThat(page.header("Content-Type"), startsWith("text/html"));
        assertThat(page.text(), containsString("docs/swagger-ui-bundle.js"));
        assertThat(page.text(), containsString("docs/swagger-ui.css"));
        assertThat(api.get("/docs/swagger-ui-bundle.js").status(), is(200));
        assertThat(api.get("/docs/swagger-ui.css").status(), is(200));
        assertThat(api.get("/docs/init.js").text(), containsString("openapi.json"));
    }

    @Test
    void thePageRunsUnderAPolicyThatAllowsOnlyTheServicesOwnFiles() {
        String policy = api.get("/docs").header("Content-Security-Policy");
        assertThat(policy, containsString("default-src 'none'"));
        assertThat(policy, containsString("script-src 'self';"));
        assertThat(policy, containsString("connect-src 'self';"));
        assertThat(policy, containsString("frame-ancestors 'none'"));
        assertThat(policy, not(containsString("unsafe-")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "swagger-initializer.js", "oauth2-redirect.html", "oauth2-redirect.js",
                            "swagger-ui.js", "swagger-ui-es-bundle.js", "swagger-ui-standalone-preset.js", "index.css",
                            "..%2F..%2Fpom.properties", "", "x/swagger-ui.css"})
    void onlyTheFilesThePageLoadsAreServed(String file) {
        Response response = api.get("/docs/" + file);
        assertThat(response.status(), is(404));
        assertThat(response.detail(), is("Not Found"));
    }

    @Test
    void theFilesAreCachedByVersion() {
        Response first = api.get("/docs/swagger-ui.css");
        assertThat(first.header("Content-Type"), startsWith("text/css"));
        assertThat(first.header("Cache-Control"), is("public, max-age=86400"));
        Response again = api.send(api.request("/docs/swagger-ui.css").header("If-None-Match", first.header("ETag"))
                                          .GET().build());
        assertThat(again.status(), is(304));
        assertThat(again.text(), is(""));
    }

    @Test
    void openApiServesTheSameDocumentAsYaml() {
        Response response = api.get("/openapi");
        assertThat(response.status(), is(200));
        assertThat(response.header("Content-Type"), startsWith("application/vnd.oai.openapi"));
        assertThat(response.header("X-Content-Type-Options"), is("nosniff"));
        assertThat(response.text(), containsString("/todos/{todo_id}"));
        assertThat(response.text(), containsString("url: /api"));
    }

    @Test
    void openApiServesJsonWhenAskedFor() {
        String json = api.get("/openapi.json").text();
        Response accepted = api.send(api.request("/openapi").header("Accept", "application/json").GET().build());
        assertThat(accepted.header("Content-Type"), startsWith("application/json"));
        assertThat(accepted.text(), is(json));
        assertThat(api.get("/openapi?format=JSON").text(), is(json));
        assertThat(api.get("/openapi?format=yml").text(), is(api.get("/openapi").text()));
    }

    @Test
    void openApiRefusesFormatsItDoesNotHave() {
        assertThat(api.get("/openapi?format=xml").status(), is(400));
        Response unacceptable = api.send(api.request("/openapi").header("Accept", "image/png").GET().build());
        assertThat(unacceptable.status(), is(404));
        assertThat(unacceptable.detail(), is("Not Found"));
    }

    private static HttpRules recorder(Set<String> routes) {
        return (HttpRules) Proxy.newProxyInstance(
                HttpRules.class.getClassLoader(), new Class<?>[] {HttpRules.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (Set.of("get", "post", "put", "patch", "delete", "head", "options").contains(name)) {
                        String pattern = (String) args[0];
                        routes.add(name.toUpperCase() + " " + pattern.replace("[/]", "/"));
                    } else if (!name.equals("any") && !name.equals("register")) {
                        throw new AssertionError("Unexpected routing call " + method);
                    }
                    return proxy;
                });
    }
}
