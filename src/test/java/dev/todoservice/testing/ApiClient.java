package dev.todoservice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small HTTP/1.1 client for the API, with helpers for the common set-up steps (sign up, log in).
 */
public final class ApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    // A request that hangs fails its test instead of the whole run.
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI base;

    /**
     * Creates a client.
     *
     * @param base the server's base URI
     */
    public ApiClient(URI base) {
        this.base = base;
    }

    /**
     * A response with its body parsed when it is JSON.
     *
     * @param status  status code
     * @param headers response headers
     * @param text    raw body
     */
    public record Response(int status, java.net.http.HttpHeaders headers, String text) {

        /**
         * The body as JSON.
         *
         * @return the tree
         */
        public JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + text, e);
            }
        }

        /**
         * The {@code detail} of an error body.
         *
         * @return the detail, as text for messages and as JSON for validation errors
         */
        public String detail() {
            JsonNode detail = json().get("detail");
            return detail.isTextual() ? detail.textValue() : detail.toString();
        }

        /**
         * A response header.
         *
         * @param name header name
         * @return its first value, or null
         */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /**
     * A signed-up user with a token.
     *
     * @param id       user id
     * @param username username
     * @param email    email
     * @param password password
     * @param token    bearer token
     */
    public record Account(long id, String username, String email, String password, String token) {
    }

    /**
     * Sends a request.
     *
     * @param method HTTP method
     * @param path   path and query
     * @param token  bearer token, or null
     * @param json   JSON body, or null
     * @return the response
     */
    public Response send(String method, String path, String token, String json) {
        HttpRequest.Builder request = request(path)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /**
     * Sends a prepared request.
     *
     * @param request the request
     * @return the response
     */
    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a prepared request without waiting for the answer.
     *
     * @param request the request
     * @return the response, when it comes
     */
    public CompletableFuture<Response> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Response(response.statusCode(), response.headers(), response.body()));
    }

    /**
     * A request builder for this server, with a time-out the caller may change.
     *
     * @param path path and query
     * @return the builder
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    }

    /**
     * GET without a token.
     *
     * @param path path and query
     * @return the response
     */
    public Response get(String path) {
        return send("GET", path, null, null);
    }

    /**
     * Posts a URL-encoded form.
     *
     * @param path   path
     * @param fields form fields
     * @return the response
     */
    public Response form(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build());
    }

    /**
     * Logs in.
     *
     * @param email    email
     * @param password password
     * @return the response
     */
    public Response login(String email, String password) {
        return form("/auth/token", Map.of("username", email, "password", password));
    }

    /**
     * Signs up a new user with a unique name and logs in.
     *
     * @return the account
     */
    public Account newAccount() {
        String username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String email = username + "@example.com";
        String password = "password-" + username;
        Response created = send("POST", "/users/", null, json(Map.of("username", username, "email", email,
                                                                    "password", password)));
        if (created.status() != 201) {
            throw new AssertionError("Sign-up failed: " + created);
        }
        Response token = login(email, password);
        if (token.status() != 200) {
            throw new AssertionError("Login failed: " + token);
        }
        return new Account(created.json().get("id").asLong(), username, email, password,
                           token.json().get("access_token").asText());
    }

    /**
     * Creates a todo.
     *
     * @param account     owner
     * @param title       title
     * @param description description
     * @param state       state
     * @return the created todo
     */
    public JsonNode createTodo(Account account, String title, String description, String state) {
        Response response = send("POST", "/todos/", account.token(),
                                 json(Map.of("title", title, "description", description, "state", state)));
        if (response.status() != 201) {
            throw new AssertionError("Create todo failed: " + response);
        }
        return response.json();
    }

    /**
     * The member names of a JSON object, in order, for assertions that show what an answer held.
     *
     * @param node a JSON object
     * @return its member names
     */
    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Serialises a value as JSON.
     *
     * @param value map or list
     * @return JSON text
     */
    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
