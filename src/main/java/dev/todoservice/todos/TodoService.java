package dev.todoservice.todos;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todoservice.failure.Failure;
import dev.todoservice.json.Json;
import dev.todoservice.todos.TodoRepository.Answer;
import dev.todoservice.todos.TodoRepository.NewTodo;
import dev.todoservice.users.Authenticated;
import dev.todoservice.users.Authenticator;
import dev.todoservice.users.Caller;
import dev.todoservice.web.Bodies;
import dev.todoservice.web.MethodNotAllowed;
import dev.todoservice.web.Responses;
import dev.todoservice.web.Validator;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The signed-in user's todos: create (optionally once per {@code Idempotency-Key}), list with filters, patch and
 * delete. Someone else's todo is indistinguishable from a missing one.
 */
public final class TodoService implements HttpService {

    // Makes POST /todos/ safe to retry; Caddy retries a POST only when it carries one.
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");
    private static final String TODOS = "/todos[/]";
    private static final String TODO = "/todos/{todo_id}";
    private static final String NOT_FOUND = "Task not found.";

    private final TodoRepository todos;
    private final Authenticator authenticator;

    /**
     * Creates the service.
     *
     * @param todos         todo rows
     * @param authenticator bearer token checks
     */
    public TodoService(TodoRepository todos, Authenticator authenticator) {
        this.todos = todos;
        this.authenticator = authenticator;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(TODOS, authenticator.authenticated(this::create))
                .get(TODOS, authenticator.authenticated(this::list))
                .any(TODOS, MethodNotAllowed.allowing("GET", "POST"))
                .patch(TODO, authenticator.authenticated(this::update))
                .delete(TODO, authenticator.authenticated(this::delete))
                .any(TODO, MethodNotAllowed.allowing("PATCH", "DELETE"));
    }

    private void create(ServerRequest req, ServerResponse res, Authenticated authenticated) {
        Caller caller = authenticated.caller();
        ObjectNode body = Bodies.jsonObject(req);
        Validator validator = new Validator();
        String title = validator.requiredText(body, "title", 1, 200, false);
        String description = validator.requiredText(body, "description", 0, 2000, false);
        Optional<String> state = validator.choice(body, "state", Todo.STATES, true);
        Optional<String> key = validator.idempotencyKey(req.headers().all(IDEMPOTENCY_KEY, List::of));
        validator.throwIfInvalid();
        NewTodo todo = new NewTodo(title, description, state.orElseThrow());
        if (key.isEmpty()) {
            Todo created = todos.create(caller, todo).orElseThrow(Failure::invalidCredentials);
            Responses.send(req, res, Status.CREATED_201, created);
            return;
        }
        Answer answer = todos.createOnce(caller, key.get(), digest(todo), todo)
                .orElseThrow(Failure::invalidCredentials);
        if (answer.replayed()) {
            res.header(REPLAYED, "true");
        }
        Responses.sendSerialised(req, res, Status.create(answer.status()), answer.json());
    }

    private void list(ServerRequest req, ServerResponse res, Authenticated authenticated) {
        Validator validator = new Validator();
        TodoFilter filter = new TodoFilter(validator.queryText(req.query(), "title", 3, 20),
                                           validator.queryText(req.query(), "description", 3, 20),
                                           validator.queryChoice(req.query(), "state", Todo.STATES),
                                           validator.queryInt(req.query(), "offset", 0, 0, Integer.MAX_VALUE),
                                           validator.queryInt(req.query(), "limit", 100, 1, 1000));
        validator.throwIfInvalid();
        List<Todo> found = todos.list(authenticated.caller(), filter).orElseThrow(Failure::invalidCredentials);
        Responses.send(req, res, Status.OK_200, Map.of("todos", found));
    }

    private void update(ServerRequest req, ServerResponse res, Authenticated authenticated) {
        long id = todoId(req);
        ObjectNode body = Bodies.jsonObject(req);
        Validator validator = new Validator();
        Optional<String> title = validator.optionalText(body, "title", 1, 200);
        Optional<String> description = validator.optionalText(body, "description", 0, 2000);
        Optional<String> state = validator.choice(body, "state", Todo.STATES, false);
        validator.throwIfInvalid();
        Todo todo = todos.update(authenticated.caller(), id, title, description, state)
                .orElseThrow(() -> Failure.notFound(NOT_FOUND));
        Responses.send(req, res, Status.OK_200, todo);
    }

    private void delete(ServerRequest req, ServerResponse res, Authenticated authenticated) {
        if (!todos.delete(authenticated.caller(), todoId(req))) {
            throw Failure.notFound(NOT_FOUND);
        }
        Responses.send(req, res, Status.OK_200, Map.of("message", "Task has been deleted successfully."));
    }

    private static long todoId(ServerRequest req) {
        return Validator.pathId(req.path().pathParameters().get("todo_id"))
                .orElseThrow(() -> Failure.notFound(NOT_FOUND));
    }

    // Two requests are the same when their fields are; formatting and field order do not count.
    private static byte[] digest(NewTodo todo) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(
                    Json.bytes(List.of(todo.title(), todo.description(), todo.state())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
