package dev.todoservice.todos;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.Await;
import dev.todoservice.testing.TestApp;
import dev.todoservice.testing.TestDatabase;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.helidon.webserver.testing.junit5.Socket;
import org.junit.jupiter.api.Test;

import static dev.todoservice.testing.ApiClient.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

/**
 * What one user's todos may cost: a statement timeout, a quota, substring filters served by indexes; and a user
 * deleted while it creates a todo.
 */
@ServerTest
class TodoLimitsTest {

    private static final int QUOTA = 5;
    private static TestApp app;
    private final ApiClient api;
    private final ApiClient admin;

    TodoLimitsTest(URI uri, @Socket("admin") URI adminUri) {
        this.api = new ApiClient(uri);
        this.admin = new ApiClient(adminUri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        // The statement timeout keeps its default (2 s): shorter, the racing creates below could hit it on a busy
        // machine.
        app = TestApp.setup(server, Map.of("TODO_QUOTA", Integer.toString(QUOTA)), Clock.systemUTC());
    }

    private Response create(Account account, String title) {
        return api.send("POST", "/todos/", account.token(),
                        json(Map.of("title", title, "description", "", "state", "todo")));
    }

    @Test
    void aStatementOverTheTimeoutIs503WithRetryAfterAndTheDatabaseStaysAvailable() throws Exception {
        Account account = api.newAccount();
        try (Connection locker = app.connection()) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                // Every read of todos now waits for this transaction; the statement timeout ends the wait.
                statement.execute("LOCK TABLE todos IN ACCESS EXCLUSIVE MODE");
            }
            Response slow = api.send(api.request("/todos/")
                                             .header("Authorization", "Bearer " + account.token())
                                             .timeout(Duration.ofSeconds(20))
                                             .GET()
                                             .build());
            assertThat(slow.text(), slow.status(), is(503));
            assertThat(slow.header("Retry-After"), is("5"));
            assertThat(slow.detail(), is("Request took too long; retry later or narrow it"));
            // One expensive request is not an outage: readiness stays up and other statements run at once.
            assertThat(admin.get("/observe/health/ready").status(), is(200));
            assertThat(api.get("/users/" + account.id()).status(), is(200));
            locker.rollback();
        }
        assertThat(api.send("GET", "/todos/", account.token(), null).status(), is(200));
    }

    @Test
    void aUserAtTheQuotaGets403UntilItDeletesOne() {
        Account account = api.newAccount();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < QUOTA; i++) {
            ids.add(api.createTodo(account, "todo " + i, "", "todo").get("id").asLong());
        }
        Response over = create(account, "one too many");
        assertThat(over.status(), is(403));
        assertThat(over.detail(), is("Todo limit reached"));
        api.send("DELETE", "/todos/" + ids.getFirst(), account.token(), null);
        assertThat(create(account, "room again").status(), is(201));
    }

    @Test
    void concurrentCreatesNeverOvershootTheQuota() throws Exception {
        Account account = api.newAccount();
        List<CompletableFuture<Response>> creates = new ArrayList<>();
        for (int i = 0; i < 3 * QUOTA; i++) {
            creates.add(api.sendAsync(api.request("/todos/")
                                              .header("Authorization", "Bearer " + account.token())
                                              .header("Content-Type", "application/json")
                                              .POST(HttpRequest.BodyPublishers.ofString(json(Map.of(
                                                      "title", "racing " + i, "description", "", "state", "todo"))))
                                              .build()));
        }
        int created = 0;
        for (CompletableFuture<Response> create : creates) {
            Response response = create.get();
            assertThat(response.text(), response.status(), oneOf(201, 403));
            created += response.status() == 201 ? 1 : 0;
        }
        assertThat(created, is(QUOTA));
        assertThat(app.query("SELECT count(*) FROM todos WHERE user_id = " + account.id()),
                   is(Integer.toString(QUOTA)));
        assertThat(app.query("SELECT todo_count FROM users WHERE id = " + account.id()), is(Integer.toString(QUOTA)));
    }

    @Test
    void aUserDeletedWhileItCreatesATodoIsUnauthorizedNotAServerError() throws Exception {
        Account account = api.newAccount();
        CompletableFuture<Response> creating;
        try (Connection deleter = app.connection()) {
            deleter.setAutoCommit(false);
            try (Statement statement = deleter.createStatement()) {
                statement.executeUpdate("DELETE FROM users WHERE id = " + account.id());
            }
            creating = api.sendAsync(api.request("/todos/")
                                             .header("Authorization", "Bearer " + account.token())
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofString(json(Map.of(
                                                     "title", "orphan", "description", "", "state", "todo"))))
                                             .build());
            Await.until("the create to wait for the deleting transaction", Duration.ofSeconds(10),
                        () -> app.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                                + " AND application_name = 'todo-service' AND wait_event_type = 'Lock'")
                                .equals("1"));
            deleter.commit();
        }
        Response response = creating.get();
        assertThat(response.text(), response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void substringFiltersAreServedByTrigramIndexesAtTheQuotasSize() throws Exception {
        Account account = api.newAccount();
        // The quota's default, 10,000 rows, written directly (the API would stop at this test's quota).
        app.sql("INSERT INTO todos (user_id, title, description, state, created_at, updated_at)"
                        + " SELECT " + account.id() + ", 'title ' || md5(i::text), repeat(md5(i::text), 40), 'todo',"
                        + " now(), now() FROM generate_series(1, 10000) AS i");
        app.sql("INSERT INTO todos (user_id, title, description, state, created_at, updated_at) VALUES ("
                        + account.id() + ", 'needle', 'a haystack with zebra-crossing inside', 'todo', now(), now())");
        app.sql("ANALYZE todos");

        Response found = api.send("GET", "/todos/?description=zebra-cross", account.token(), null);
        assertThat(found.json().get("todos").findValuesAsText("title"), contains("needle"));

        String plan = explain(Map.of("email", account.email(),
                                     "generation", app.query("SELECT credential_generation FROM users WHERE id = "
                                                                     + account.id()),
                                     "description", TodoRepository.likeLiteral("zebra-cross")));
        assertThat(plan, containsString("todos_description_trgm_idx"));
        assertThat(app.query("SELECT todo_count FROM users WHERE id = " + account.id()), is("10001"));
    }

    // The plan of the service's own list statement, with the given parameters and no other filters.
    private static String explain(Map<String, String> params) throws Exception {
        String sql = TestDatabase.config().get("db.statements.todo-list").asString().get();
        Matcher names = Pattern.compile("(?<!:):([a-z_]+)").matcher(sql);
        StringBuilder literal = new StringBuilder();
        while (names.find()) {
            String value = switch (names.group(1)) {
                case "limit" -> "100";
                case "offset" -> "0";
                default -> params.containsKey(names.group(1))
                        ? "'" + params.get(names.group(1)).replace("'", "''") + "'"
                        : "NULL";
            };
            names.appendReplacement(literal, Matcher.quoteReplacement(value));
        }
        names.appendTail(literal);
        StringBuilder plan = new StringBuilder();
        try (Connection connection = app.connection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("EXPLAIN " + literal)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
