package dev.todoservice.users;

/**
 * The account a request acts for, as its bearer token names it. Statements that serve an authenticated request match
 * both: a token is worth nothing once the account's credentials changed (sign-up, email or password change, logout)
 * or the account is gone, and that check costs no extra round trip.
 *
 * @param email      the token's subject
 * @param generation the account's credential generation when the token was issued
 */
public record Caller(String email, long generation) {
}
