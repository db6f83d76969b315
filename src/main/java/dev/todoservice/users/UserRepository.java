package dev.todoservice.users;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.todoservice.db.DatabaseGuard;
import dev.todoservice.db.SqlErrors;
import dev.todoservice.web.ApiException;
import io.helidon.dbclient.DbRow;

/**
 * User rows, through the named statements in {@code application.yaml}.
 */
public final class UserRepository {

    private final DatabaseGuard db;
    private final Clock clock;

    /**
     * Creates the repository.
     *
     * @param db    database access
     * @param clock time source for {@code created_at}
     */
    public UserRepository(DatabaseGuard db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Stored credentials for a login.
     *
     * @param id           user id
     * @param email        email
     * @param passwordHash Argon2id PHC string
     */
    public record Credentials(long id, String email, String passwordHash) {
    }

    /**
     * Inserts a user; the username is checked for conflicts before the email.
     *
     * @param username     unique name
     * @param email        lower-case email
     * @param passwordHash hashed password
     * @return the new user
     * @throws ApiException 409 when the username or the email is taken
     */
    public User create(String username, String email, String passwordHash) {
        rejectTaken(username, email);
        try {
            return db.call(exec -> exec.createNamedGet("user-insert")
                    .addParam("username", username)
                    .addParam("email", email)
                    .addParam("password_hash", passwordHash)
                    .addParam("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
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
            try (Stream<DbRow> rows = exec.createNamedQuery("user-list")
                    .addParam("limit", limit)
                    .addParam("offset", offset)
                    .execute()) {
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
     * A user by email.
     *
     * @param email lower-case email
     * @return the user, if any
     */
    public Optional<User> findByEmail(String email) {
        return db.call(exec -> exec.namedGet("user-by-email", email).map(UserRepository::user));
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
                                            row.column("password_hash").get(String.class))));
    }

    /**
     * Replaces a user's username, email and password.
     *
     * @param id           the user
     * @param username     new name
     * @param email        new lower-case email
     * @param passwordHash new hashed password
     * @return the updated user, or empty when it no longer exists
     * @throws ApiException 409 when the username or email belongs to someone else
     */
    public Optional<User> update(long id, String username, String email, String passwordHash) {
        try {
            return db.call(exec -> exec.createNamedGet("user-update")
                    .addParam("id", id)
                    .addParam("username", username)
                    .addParam("email", email)
                    .addParam("password_hash", passwordHash)
                    .execute()
                    .map(UserRepository::user));
        } catch (RuntimeException e) {
            if (SqlErrors.uniqueViolation(e).isPresent()) {
                throw ApiException.conflict("Username or Email already exists");
            }
            throw e;
        }
    }

    /**
     * Deletes a user and, by cascade, their todos.
     *
     * @param id the user
     */
    public void delete(long id) {
        db.call(exec -> exec.namedDelete("user-delete", id));
    }

    private void rejectTaken(String username, String email) {
        db.call(exec -> exec.createNamedGet("user-taken")
                .addParam("username", username)
                .addParam("email", email)
                .execute())
                .ifPresent(row -> {
                    if (row.column("username_taken").get(Boolean.class)) {
                        throw ApiException.conflict("Username already exists");
                    }
                    if (row.column("email_taken").get(Boolean.class)) {
                        throw ApiException.conflict("Email already exists");
                    }
                });
    }

    private static User user(DbRow row) {
        return new User(row.column("id").get(Long.class),
                        row.column("username").get(String.class),
                        row.column("email").get(String.class));
    }
}
