package dev.todoservice.users;

import dev.todoservice.auth.TokenService;
import dev.todoservice.db.Params;

/**
 * The account a request acts for, as its bearer token names it. Statements that serve an authenticated request match
 * both: a token is worth nothing once the account's credentials changed (sign-up, email or password change, logout)
 * or the account is gone, and that check costs no extra round trip.
 *
 * @param email      the token's subject
 * @param generation the account's credential generation when the token was issued
 */
public record Caller(String email, long generation) {

    /**
     * The caller a valid token names.
     *
     * @param claims the token's claims
     * @return its account and credential generation
     */
    public static Caller of(TokenService.Claims claims) {
        return new Caller(claims.subject(), claims.generation());
    }

    /**
     * Names this caller in a statement's {@code :email} and {@code :generation} parameters.
     *
     * @return the values, for more parameters
     */
    public Params params() {
        return Params.of("email", email).and("generation", generation);
    }
}
