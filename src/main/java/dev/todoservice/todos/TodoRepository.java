package dev.todoservice.todos;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.todoservice.db.DatabaseGuard;
import dev.todoservice.users.Caller;
import io.helidon.dbclient.DbRow;

/**
 * Todo rows. Every statement names the owner by the token's email and credential generation and joins on users, so
 * one round trip both checks that the token is still good and does the work.
 */
public final class TodoRepository {

    private final DatabaseGuard db;
    private final Clock clock;

    /**
     * Creates the repository.
     *
     * @param db    database access
     * @param clock time source for {@code created_at} and {@code updated_at}
     */
    public TodoRepository(DatabaseGuard db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Creates a todo for the caller.
     *
     * @param caller      the token's account
     * @param title       title
     * @param description description
     * @param state       state
     * @return the todo, or empty when the token's user does not exist (any more) or its token was revoked
     */
    public Optional<Todo> create(Caller caller, String title, String description, String state) {
        return db.call(exec -> exec.createNamedGet("todo-insert")
                .addParam("email", caller.email())
                .addParam("generation", caller.generation())
                .addParam("title", title)
                .addParam("description", description)
                .addParam("state", state)
                .addParam("now", now())
                .execute()
                .map(TodoRepository::todo));
    }

    /**
     * The user's todos matching a filter, in id order.
     *
     * @param caller the token's account
     * @param filter what to match
     * @return the todos, or empty when the user does not exist (any more) or its token was revoked
     */
    public Optional<List<Todo>> list(Caller caller, TodoFilter filter) {
        return db.call(exec -> {
            try (Stream<DbRow> rows = exec.createNamedQuery("todo-list")
                    .addParam("email", caller.email())
                    .addParam("generation", caller.generation())
                    .addParam("title", filter.title().orElse(null))
                    .addParam("description", filter.description().orElse(null))
                    .addParam("state", filter.state().orElse(null))
                    .addParam("offset", filter.offset())
                    .addParam("limit", filter.limit())
                    .execute()) {
                List<DbRow> found = rows.toList();
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                List<Todo> todos = new ArrayList<>(found.size());
                for (DbRow row : found) {
                    // The user's row alone (no todos) comes back with a null todo id from the outer join.
                    if (row.column("id").get(Long.class) != null) {
                        todos.add(todo(row));
                    }
                }
                return Optional.of(todos);
            }
        });
    }

    /**
     * Changes the given fields of one of the user's todos; absent fields keep their value.
     *
     * @param caller      the token's account
     * @param id          the todo
     * @param title       new title, if any
     * @param description new description, if any
     * @param state       new state, if any
     * @return the updated todo, or empty when the user has no such todo
     */
    public Optional<Todo> update(Caller caller, long id, Optional<String> title, Optional<String> description,
                                 Optional<String> state) {
        return db.call(exec -> exec.createNamedGet("todo-update")
                .addParam("email", caller.email())
                .addParam("generation", caller.generation())
                .addParam("id", id)
                .addParam("title", title.orElse(null))
                .addParam("description", description.orElse(null))
                .addParam("state", state.orElse(null))
                .addParam("now", now())
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
    public boolean delete(Caller caller, long id) {
        return db.call(exec -> exec.createNamedDelete("todo-delete")
                .addParam("id", id)
                .addParam("email", caller.email())
                .addParam("generation", caller.generation())
                .execute()) > 0;
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
                        timestamp(row.column("created_at").get()),
                        timestamp(row.column("updated_at").get()));
    }

    private static String timestamp(Object value) {
        Instant instant = switch (value) {
            case Timestamp ts -> ts.toInstant();
            case OffsetDateTime odt -> odt.toInstant();
            case TemporalAccessor other -> Instant.from(other);
            default -> throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
        };
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
