package dev.todoservice.users;

/**
 * A user as the API shows it: never with the password hash.
 *
 * @param id       database id
 * @param username unique name
 * @param email    unique, lower-case email
 */
public record User(long id, String username, String email) {
}
