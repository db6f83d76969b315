package dev.todoservice.users;

import java.util.function.Function;

/**
 * The caller of a request with a valid token: the account as the token names it and, loaded once when first asked
 * for, its user.
 */
public final class Authenticated {

    private final Caller caller;
    private final Function<Caller, User> lookup;
    private User user;

    Authenticated(Caller caller, Function<Caller, User> lookup) {
        this.caller = caller;
        this.lookup = lookup;
    }

    /**
     * The account the token names, for statements that check it themselves.
     *
     * @return the token's email and credential generation
     */
    public Caller caller() {
        return caller;
    }

    /**
     * The token's user.
     *
     * @return the user
     * @throws dev.todoservice.failure.Failure 401 when the account is gone or the token was revoked
     */
    public User user() {
        if (user == null) {
            user = lookup.apply(caller);
        }
        return user;
    }
}
