package dev.todoservice.users;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.todoservice.auth.PasswordHasher;
import dev.todoservice.auth.Throttle;
import dev.todoservice.failure.Failure;
import dev.todoservice.web.Bodies;
import dev.todoservice.web.MethodNotAllowed;
import dev.todoservice.web.Page;
import dev.todoservice.web.RequestInfo;
import dev.todoservice.web.Responses;
import dev.todoservice.web.Validator;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Sign-up, listing and reading users, and changing or deleting one's own account.
 *
 * <p>Unless user reads are public ({@code USERS_LIST_PUBLIC}, the tutorial's behaviour), reading users needs a token
 * and shows only the caller's own email: other users appear as {@code {"id", "username"}}.
 *
 * @param users         user rows
 * @param hasher        password hashing
 * @param authenticator bearer token checks
 * @param throttle      limits on sign-ups and account updates
 * @param readsPublic   whether reading users needs no token and shows every email
 */
public record UserService(UserRepository users, PasswordHasher hasher, Authenticator authenticator, Throttle throttle,
                          boolean readsPublic) implements HttpService {

    private static final String USERS = "/users[/]";
    private static final String USER = "/users/{user_id}";
    private static final String NOT_FOUND = "User not found";

    @Override
    public void routing(HttpRules rules) {
        rules.post(USERS, this::create)
                .get(USERS, this::list)
                .any(USERS, MethodNotAllowed.allowing("GET", "POST"))
                .get(USER, this::get)
                .put(USER, authenticator.authenticated(this::update))
                .delete(USER, authenticator.authenticated(this::delete))
                .any(USER, MethodNotAllowed.allowing("GET", "PUT", "DELETE"));
    }

    private void create(ServerRequest req, ServerResponse res) {
        UserInput input = UserInput.from(Bodies.jsonObject(req));
        throttle.attempt(RequestInfo.clientOf(req), input.email());
        User user = users.create(input.username(), input.email(), hasher.hash(input.password()));
        Responses.send(req, res, Status.CREATED_201, user);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Optional<User> reader = reader(req);
        Validator validator = new Validator();
        Page page = validator.page(req.query());
        validator.throwIfInvalid();
        List<Object> shown = users.list(page.offset(), page.limit()).stream().map(user -> shown(user, reader)).toList();
        Responses.send(req, res, Status.OK_200, Map.of("users", shown));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Optional<User> reader = reader(req);
        long id = Validator.pathId(req.path().pathParameters().get("user_id"))
                .orElseThrow(() -> Failure.notFound(NOT_FOUND));
        User user = users.find(id).orElseThrow(() -> Failure.notFound(NOT_FOUND));
        Responses.send(req, res, Status.OK_200, shown(user, reader));
    }

    private void update(ServerRequest req, ServerResponse res, Authenticated caller) {
        long id = ownId(req, caller);
        UserInput input = UserInput.from(Bodies.jsonObject(req));
        throttle.attempt(RequestInfo.clientOf(req), caller.user().email());
        User updated = users.update(caller.caller(), id, input.username(), input.email(), hasher.hash(input.password()))
                .orElseThrow(Failure::invalidCredentials);
        Responses.send(req, res, Status.OK_200, updated);
    }

    private void delete(ServerRequest req, ServerResponse res, Authenticated caller) {
        long id = ownId(req, caller);
        if (!users.delete(caller.caller(), id)) {
            throw Failure.invalidCredentials();
        }
        Responses.send(req, res, Status.OK_200, Map.of("message", "User deleted"));
    }

    // Empty when reads are public; otherwise the token's user (401 without one).
    private Optional<User> reader(ServerRequest req) {
        return readsPublic ? Optional.empty() : Optional.of(authenticator.currentUser(req));
    }

    private Object shown(User user, Optional<User> reader) {
        if (readsPublic || reader.map(User::id).orElse(-1L) == user.id()) {
            return user;
        }
        return new OtherUser(user.id(), user.username());
    }

    /**
     * Another user as a signed-in reader sees them when reads are not public: no email.
     *
     * @param id       database id
     * @param username the name
     */
    record OtherUser(long id, String username) {
    }

    // The token's user first: a revoked token is 401 whatever the path says.
    private static long ownId(ServerRequest req, Authenticated caller) {
        User current = caller.user();
        String raw = req.path().pathParameters().get("user_id");
        long id = Validator.pathId(raw).orElseThrow(() -> Validator.invalidPathId(raw, "user_id"));
        if (id != current.id()) {
            throw Failure.forbidden("Not enough permissions");
        }
        return id;
    }
}
