package dev.todoservice.users;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.todoservice.db.DatabaseGuard;
import dev.todoservice.db.Params;
import dev.todoservice.db.SqlErrors;
import dev.todoservice.db.Statement;
import dev.todoservice.failure.Failure;
import io.helidon.dbclient.DbRow;

/**
 * User rows, through the named statements in {@code application.yaml}.
 */
public final class UserRepository {

    private final DatabaseGuard db;
    private final Clock clock;
    private final Statement taken;
    private final Statement insert;
    private final Statement list;
    private final Statement forToken;
    private final Statement update;
    private final Statement delete;
    private final Statement logout;

    /**
     * Creates the repository.
     *
     * @param db    database access
     * @param clock time source for {@code created_at} and {@code credentials_changed_at}
     */
    public UserRepository(DatabaseGuard db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.taken = db.statement("user-taken");
        this.insert = db.statement("user-insert");
        this.list = db.statement("user-list");
        this.forToken = db.statement("user-for-token");
        this.update = db.statement("user-update");
        this.delete = db.statement("user-delete");
        this.logout = db.statement("user-logout");
    }

    /**
     * Stored credentials for a login.
     *
     * @param id           user id
     * @param email        email
     * @param passwordHash Argon2id PHC string
     * @param generation   the credential generation tokens are issued for
     */
    public record Credentials(long id, String email, String passwordHash, long generation) {
    }

    /**
     * Inserts a user; the username is checked for conflicts before the email.
     *
     * @param username     unique name
     * @param email        lower-case email
     * @param passwordHash hashed password
     * @return the new user
     * @throws Failure 409 when the username or the email is taken
     */
    public User create(String username, String email, String passwordHash) {
        rejectTaken(username, email);
        try {
            return db.call(exec -> insert.get(exec, Params.of("username", username)
                            .and("email", email)
                            .and("password_hash", passwordHash)
                            .and("now", now()))
                    .execute()
                    .map(UserRepository::user)
                    .orElseThrow());
        } catch (RuntimeException e) {
            if (SqlErrors.uniqueViolation(e).isPresent()) {
                // Lost a race with a concurrent insert: answer as if the pre-check had seen it.
                rejectTaken(username, email);
            }
            throw e;
        }
    }

    /**
     * A page of users in id order.
     *
     * @param offset rows to skip
     * @param limit  rows to return
     * @return the users
     */
    public List<User> list(int offset, int limit) {
        return db.call(exec -> {
            try (Stream<DbRow> rows = list.query(exec, Params.of("limit", limit).and("offset", offset)).execute()) {
                return rows.map(UserRepository::user).toList();
            }
        });
    }

    /**
     * A user by id.
     *
     * @param id the id
     * @return the user, if any
     */
    public Optional<User> find(long id) {
        return db.call(exec -> exec.namedGet("user-by-id", id).map(UserRepository::user));
    }

    /**
     * The user a token names, if its credentials have not changed since.
     *
     * @param caller the token's email and credential generation
     * @return the user, if any
     */
    public Optional<User> find(Caller caller) {
        return db.call(exec -> forToken.get(exec, caller.params())
                .execute()
                .map(UserRepository::user));
    }

    /**
     * Credentials for a login.
     *
     * @param email lower-case email
     * @return the credentials, if the account exists
     */
    public Optional<Credentials> credentials(String email) {
        return db.call(exec -> exec.namedGet("user-credentials", email)
                .map(row -> new Credentials(row.column("id").get(Long.class),
                                            row.column("email").get(String.class),
                                            row.column("password_hash").get(String.class),
                                            row.column("credential_generation").get(Long.class))));
    }

    /**
     * Replaces a user's username, email and password, which starts a new credential generation: every token issued
     * before stops working.
     *
     * @param caller       the token the change is made with
     * @param id           the user
     * @param username     new name
     * @param email        new lower-case email
     * @param passwordHash new hashed password
     * @return the updated user, or empty when it no longer exists or the token was revoked meanwhile
     * @throws Failure 409 when the username or email belongs to someone else
     */
    public Optional<User> update(Caller caller, long id, String username, String email, String passwordHash) {
        try {
            return db.call(exec -> update.get(exec, caller.params()
                            .and("id", id)
                            .and("username", username)
                            .and("new_email", email)
                            .and("password_hash", passwordHash)
                            .and("now", now()))
                    .execute()
                    .map(UserRepository::user));
        } catch (RuntimeException e) {
            if (SqlErrors.uniqueViolation(e).isPresent()) {
                throw Failure.conflict("Username or Email already exists");
            }
            throw e;
        }
    }

    /**
     * Deletes a user and, by cascade, their todos.
     *
     * @param caller the token the deletion is made with
     * @param id     the user
     * @return whether it was deleted (false when the token was revoked meanwhile)
     */
    public boolean delete(Caller caller, long id) {
        return db.call(exec -> delete.dml(exec, caller.params().and("id", id)).execute()) > 0;
    }

    /**
     * Starts a new credential generation: every token of the account issued until now stops working.
     *
     * @param caller the token the logout is made with
     * @return whether the token was still valid
     */
    public boolean logout(Caller caller) {
        return db.call(exec -> logout.dml(exec, caller.params().and("now", now())).execute()) > 0;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private void rejectTaken(String username, String email) {
        db.call(exec -> taken.get(exec, Params.of("username", username).and("email", email)).execute())
                .ifPresent(row -> {
                    if (row.column("username_taken").get(Boolean.class)) {
                        throw Failure.conflict("Username already exists");
                    }
                    if (row.column("email_taken").get(Boolean.class)) {
                        throw Failure.conflict("Email already exists");
                    }
                });
    }

    private static User user(DbRow row) {
        return new User(row.column("id").get(Long.class),
                        row.column("username").get(String.class),
                        row.column("email").get(String.class));
    }
}
