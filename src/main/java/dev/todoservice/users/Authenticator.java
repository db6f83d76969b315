package dev.todoservice.users;

import java.util.Optional;

import dev.todoservice.auth.TokenService;
import dev.todoservice.failure.Failure;
import dev.todoservice.web.ValidationException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Reads the bearer token of a request. The token alone names the caller (no database), so routes whose SQL already
 * matches the token's user and credential generation cost one round trip; the user is loaded only where a route
 * needs it, or to tell a revoked token from bad input.
 *
 * @param tokens token checks
 * @param users  user look-ups
 */
public record Authenticator(TokenService tokens, UserRepository users) {

    private static final String BEARER = "bearer ";

    /**
     * A handler of requests with a valid bearer token. The token is checked first (401 without one); when the
     * handler then finds the input invalid (422) or nothing to act on (404), the token's user is looked up before
     * answering, so a revoked token or a deleted account is 401 whatever the request held.
     */
    @FunctionalInterface
    public interface AuthenticatedHandler {

        /**
         * Handles the request.
         *
         * @param req    the request
         * @param res    the response
         * @param caller the token's account, and its user when needed
         */
        void handle(ServerRequest req, ServerResponse res, Authenticated caller);
    }

    /**
     * Wraps a handler of authenticated requests: "401 before 422 and 404", written once.
     *
     * @param handler the route's work
     * @return the route's handler
     */
    public Handler authenticated(AuthenticatedHandler handler) {
        return (req, res) -> {
            Authenticated caller = new Authenticated(caller(req), this::existingUser);
            try {
                handler.handle(req, res, caller);
            } catch (ValidationException e) {
                caller.user();
                throw e;
            } catch (Failure e) {
                if (e.kind() == Failure.Kind.NOT_FOUND || e.kind() == Failure.Kind.UNPROCESSABLE) {
                    caller.user();
                }
                throw e;
            }
        };
    }

    /**
     * The claims of a valid token; whether its user and generation still exist is for the caller's SQL to check.
     *
     * @param req the request
     * @return the token's claims
     * @throws Failure 401 when the header is missing or the token is not valid
     */
    public TokenService.Claims claims(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()
                || header.get().length() <= BEARER.length()
                || !header.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw Failure.notAuthenticated();
        }
        return tokens.verify(header.get().substring(BEARER.length()).strip())
                .orElseThrow(Failure::invalidCredentials);
    }

    /**
     * The user of a valid token.
     *
     * @param req the request
     * @return the user
     * @throws Failure 401 when the token is invalid, revoked, or its user no longer exists
     */
    public User currentUser(ServerRequest req) {
        return existingUser(caller(req));
    }

    /**
     * The user behind an already checked token.
     *
     * @param caller the token's email and credential generation
     * @return the user
     * @throws Failure 401 when the user no longer exists or the token was revoked
     */
    public User existingUser(Caller caller) {
        return users.find(caller).orElseThrow(Failure::invalidCredentials);
    }

    private Caller caller(ServerRequest req) {
        return Caller.of(claims(req));
    }
}
