package dev.todoservice.todos;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.todoservice.db.DatabaseGuard;
import dev.todoservice.db.Params;
import dev.todoservice.db.SqlErrors;
import dev.todoservice.db.Statement;
import dev.todoservice.failure.Failure;
import dev.todoservice.json.Json;
import dev.todoservice.users.Caller;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * Todo rows. Every statement names the owner by the token's email and credential generation and joins on users, so
 * one round trip both checks that the token is still good and does the work.
 */
public final class TodoRepository {

    /** How long an {@code Idempotency-Key} is remembered. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    // The HTTP status stored with a created todo's answer, replayed for the same key.
    private static final int CREATED = 201;

    private final DatabaseGuard db;
    private final Clock clock;
    private final int quota;
    private final Statement insert;
    private final Statement list;
    private final Statement update;
    private final Statement delete;
    private final Statement claimKey;
    private final Statement findKey;
    private final Statement completeKey;
    private final Statement expireKeys;

    /**
     * Creates the repository.
     *
     * @param db    database access
     * @param clock time source for {@code created_at} and {@code updated_at}
     * @param quota the most todos one user may hold
     */
    public TodoRepository(DatabaseGuard db, Clock clock, int quota) {
        this.db = db;
        this.clock = clock;
        this.quota = quota;
        this.insert = db.statement("todo-insert");
        this.list = db.statement("todo-list");
        this.update = db.statement("todo-update");
        this.delete = db.statement("todo-delete");
        this.claimKey = db.statement("idempotency-claim");
        this.findKey = db.statement("idempotency-find");
        this.completeKey = db.statement("idempotency-complete");
        this.expireKeys = db.statement("idempotency-expire");
    }

    /**
     * Creates a todo for the caller, within the quota.
     *
     * @param caller the token's account
     * @param todo   what to create
     * @return the todo, or empty when the token's user does not exist (any more) or its token was revoked
     * @throws Failure 403 when the user holds as many todos as the quota allows
     */
    Optional<Todo> create(Caller caller, NewTodo todo) {
        try {
            return db.call(exec -> insert(exec, caller, todo));
        } catch (RuntimeException e) {
            if (SqlErrors.isForeignKeyViolation(e)) {
                // The user went away between finding its row and inserting: the same answer as a deleted user.
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Creates a todo once per {@code Idempotency-Key}: the first successful answer is stored in the same transaction as
     * the todo, and a later request with the same key within {@link #IDEMPOTENCY_WINDOW} gets that answer again, even
     * when it raced the first one.
     *
     * @param caller      the token's account
     * @param key         the client's key
     * @param todo        what to create
     * @return the answer, or empty when the token's user does not exist (any more) or its token was revoked
     * @throws Failure 403 over the quota; 422 when the key was used for a different request; 409 when a request
     *                 with the key is still being processed
     */
    Optional<KeyedAnswer> createOnce(Caller caller, String key, NewTodo todo) {
        byte[] requestHash = todo.digest();
        OffsetDateTime now = now();
        OffsetDateTime expiredBefore = now.minus(IDEMPOTENCY_WINDOW);
        return db.transaction(tx -> {
            Optional<DbRow> claimed = claimKey.get(tx, caller.params()
                    .and("key", key)
                    .and("request_hash", requestHash)
                    .and("now", now)
                    .and("expired_before", expiredBefore)).execute();
            if (claimed.isEmpty()) {
                return earlierAnswer(tx, caller, key, requestHash);
            }
            expireKeys.dml(tx, Params.of("expired_before", expiredBefore)).execute();
            Todo created = insert(tx, caller, todo).orElseThrow(Failure::invalidCredentials);
            String json = new String(Json.bytes(created), StandardCharsets.UTF_8);
            completeKey.dml(tx, Params.of("status", CREATED)
                    .and("response", json)
                    .and("user_id", claimed.get().column("user_id").get(Long.class))
                    .and("key", key)).execute();
            return Optional.of(new KeyedAnswer(CREATED, json, false));
        });
    }

    // The key is taken: by an earlier request of this user (its answer, if it was for the same request), or the user
    // is gone.
    private Optional<KeyedAnswer> earlierAnswer(DbExecute exec, Caller caller, String key, byte[] requestHash) {
        Optional<DbRow> earlier = findKey.get(exec, caller.params().and("key", key)).execute();
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        DbRow row = earlier.get();
        if (!Arrays.equals(row.column("request_hash").get(byte[].class), requestHash)) {
            throw Failure.unprocessable("Idempotency-Key reused with a different request");
        }
        // Claim and answer are committed together, so an answer-less key is only seen while its request runs.
        if (!(row.column("status").get() instanceof Number status)) {
            throw Failure.conflict("A request with this Idempotency-Key is still being processed");
        }
        return Optional.of(new KeyedAnswer(status.intValue(), row.column("response").get(String.class), true));
    }

    private Optional<Todo> insert(DbExecute exec, Caller caller, NewTodo todo) {
        OffsetDateTime now = now();
        DbRow row = insert.get(exec, caller.params()
                        .and("title", todo.title())
                        .and("description", todo.description())
                        .and("state", todo.state())
                        .and("now", now)
                        .and("quota", quota))
                .execute()
                .orElseThrow();
        if (row.column("id").get(Long.class) != null) {
            return Optional.of(todo(row));
        }
        if (!row.column("owner_found").get(Boolean.class)) {
            return Optional.empty();
        }
        throw Failure.forbidden("Todo limit reached");
    }

    /**
     * The user's todos matching a filter, in id order.
     *
     * @param caller the token's account
     * @param query  what to match
     * @return the todos, or empty when the user does not exist (any more) or its token was revoked
     */
    Optional<List<Todo>> list(Caller caller, TodoQuery query) {
        Params values = caller.params()
                .and("title", query.title().map(TodoRepository::likeLiteral).orElse(null))
                .and("description", query.description().map(TodoRepository::likeLiteral).orElse(null))
                .and("state", query.state().orElse(null))
                .and("offset", query.offset())
                .and("limit", query.limit());
        return db.read(list, values, rows -> {
            if (!rows.next()) {
                return Optional.empty();
            }
            List<Todo> todos = new ArrayList<>(query.limit());
            do {
                long id = rows.getLong("id");
                // The user's row alone (no todos) comes back with a null todo id from the outer join.
                if (!rows.wasNull()) {
                    todos.add(new Todo(id, rows.getString("title"), rows.getString("description"),
                                       rows.getString("state"), instant(rows.getObject("created_at")),
                                       instant(rows.getObject("updated_at"))));
                }
            } while (rows.next());
            return Optional.of(todos);
        });
    }

    /**
     * Changes the given fields of one of the user's todos; absent fields keep their value.
     *
     * @param caller the token's account
     * @param id     the todo
     * @param patch  the fields to change
     * @return the updated todo, or empty when the user has no such todo
     */
    Optional<Todo> update(Caller caller, long id, TodoPatch patch) {
        return db.call(exec -> update.get(exec, caller.params()
                        .and("id", id)
                        .and("title", patch.title().orElse(null))
                        .and("description", patch.description().orElse(null))
                        .and("state", patch.state().orElse(null))
                        .and("now", now()))
                .execute()
                .map(TodoRepository::todo));
    }

    /**
     * Deletes one of the user's todos.
     *
     * @param caller the token's account
     * @param id     the todo
     * @return whether a todo was deleted
     */
    boolean delete(Caller caller, long id) {
        return db.call(exec -> delete.dml(exec, caller.params().and("id", id)).execute()) > 0;
    }

    // The filters are case-sensitive substrings: LIKE's wildcards and its escape character match themselves.
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private OffsetDateTime now() {
        // PostgreSQL keeps microseconds; truncating here makes the answer equal what is stored.
        return OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static Todo todo(DbRow row) {
        return new Todo(row.column("id").get(Long.class),
                        row.column("title").get(String.class),
                        row.column("description").get(String.class),
                        row.column("state").get(String.class),
                        instant(row.column("created_at").get()),
                        instant(row.column("updated_at").get()));
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case Timestamp ts -> ts.toInstant();
            case OffsetDateTime odt -> odt.toInstant();
            case TemporalAccessor other -> Instant.from(other);
            default -> throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
        };
    }
}
