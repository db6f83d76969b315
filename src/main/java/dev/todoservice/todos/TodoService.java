package dev.todoservice.todos;

import java.util.List;
import java.util.Map;

import dev.todoservice.failure.Failure;
import dev.todoservice.users.Authenticated;
import dev.todoservice.users.Authenticator;
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
 *
 * @param todos         todo rows
 * @param authenticator bearer token checks
 */
public record TodoService(TodoRepository todos, Authenticator authenticator) implements HttpService {

    // Makes POST /todos/ safe to retry; Caddy retries a POST only when it carries one.
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");
    private static final String TODOS = "/todos[/]";
    private static final String TODO = "/todos/{todo_id}";
    private static final String NOT_FOUND = "Task not found.";

    @Override
    public void routing(HttpRules rules) {
        rules.post(TODOS, authenticator.authenticated(this::create))
                .get(TODOS, authenticator.authenticated(this::list))
                .any(TODOS, MethodNotAllowed.allowing("GET", "POST"))
                .patch(TODO, authenticator.authenticated(this::update))
                .delete(TODO, authenticator.authenticated(this::delete))
                .any(TODO, MethodNotAllowed.allowing("PATCH", "DELETE"));
    }

    private void create(ServerRequest req, ServerResponse res, Authenticated caller) {
        NewTodo.Creation creation = NewTodo.from(Bodies.jsonObject(req), req.headers().all(IDEMPOTENCY_KEY, List::of));
        if (creation.idempotencyKey().isEmpty()) {
            Todo created = todos.create(caller.caller(), creation.todo()).orElseThrow(Failure::invalidCredentials);
            Responses.send(req, res, Status.CREATED_201, created);
            return;
        }
        KeyedAnswer answer = todos.createOnce(caller.caller(), creation.idempotencyKey().get(), creation.todo())
                .orElseThrow(Failure::invalidCredentials);
        if (answer.replayed()) {
            res.header(REPLAYED, "true");
        }
        Responses.sendSerialised(req, res, Status.create(answer.status()), answer.json());
    }

    private void list(ServerRequest req, ServerResponse res, Authenticated caller) {
        List<Todo> found = todos.list(caller.caller(), TodoQuery.from(req.query()))
                .orElseThrow(Failure::invalidCredentials);
        Responses.send(req, res, Status.OK_200, Map.of("todos", found));
    }

    private void update(ServerRequest req, ServerResponse res, Authenticated caller) {
        long id = todoId(req);
        Todo todo = todos.update(caller.caller(), id, TodoPatch.from(Bodies.jsonObject(req)))
                .orElseThrow(() -> Failure.notFound(NOT_FOUND));
        Responses.send(req, res, Status.OK_200, todo);
    }

    private void delete(ServerRequest req, ServerResponse res, Authenticated caller) {
        if (!todos.delete(caller.caller(), todoId(req))) {
            throw Failure.notFound(NOT_FOUND);
        }
        Responses.send(req, res, Status.OK_200, Map.of("message", "Task has been deleted successfully."));
    }

    private static long todoId(ServerRequest req) {
        return Validator.pathId(req.path().pathParameters().get("todo_id"))
                .orElseThrow(() -> Failure.notFound(NOT_FOUND));
    }
}
