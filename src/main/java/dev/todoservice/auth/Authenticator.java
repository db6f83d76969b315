package dev.todoservice.auth;

import java.util.Optional;

import dev.todoservice.users.Caller;
import dev.todoservice.users.User;
import dev.todoservice.users.UserRepository;
import dev.todoservice.web.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * Reads the bearer token of a request. {@link #caller} checks only the token (no database), so routes whose SQL
 * already matches the token's user and credential generation cost one round trip; {@link #currentUser} also loads
 * the user.
 */
public final class Authenticator {

    private static final String BEARER = "bearer ";

    private final TokenService tokens;
    private final UserRepository users;

    /**
     * Creates the authenticator.
     *
     * @param tokens token checks
     * @param users  user look-ups
     */
    public Authenticator(TokenService tokens, UserRepository users) {
        this.tokens = tokens;
        this.users = users;
    }

    /**
     * The claims of a valid token; whether its user and generation still exist is for the caller's SQL to check.
     *
     * @param req the request
     * @return the token's claims
     * @throws ApiException 401 when the header is missing or the token is not valid
     */
    public TokenService.Claims claims(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()
                || header.get().length() <= BEARER.length()
                || !header.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw notAuthenticated();
        }
        return tokens.verify(header.get().substring(BEARER.length()).strip())
                .orElseThrow(Authenticator::invalidCredentials);
    }

    /**
     * The account a valid token names.
     *
     * @param req the request
     * @return the token's email and credential generation
     * @throws ApiException 401 when the header is missing or the token is not valid
     */
    public Caller caller(ServerRequest req) {
        return claims(req).caller();
    }

    /**
     * The user of a valid token.
     *
     * @param req the request
     * @return the user
     * @throws ApiException 401 when the token is invalid, revoked, or its user no longer exists
     */
    public User currentUser(ServerRequest req) {
        return existingUser(caller(req));
    }

    /**
     * The user behind an already checked token.
     *
     * @param caller the token's email and credential generation
     * @return the user
     * @throws ApiException 401 when the user no longer exists or the token was revoked
     */
    public User existingUser(Caller caller) {
        return users.find(caller).orElseThrow(Authenticator::invalidCredentials);
    }

    /**
     * The 401 for a missing or malformed {@code Authorization} header.
     *
     * @return the exception
     */
    public static ApiException notAuthenticated() {
        return new ApiException(Status.UNAUTHORIZED_401, "Not authenticated");
    }

    /**
     * The 401 for a token that does not check out.
     *
     * @return the exception
     */
    public static ApiException invalidCredentials() {
        return new ApiException(Status.UNAUTHORIZED_401, "Could not validate credentials");
    }
}
