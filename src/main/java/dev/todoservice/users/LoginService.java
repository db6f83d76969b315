package dev.todoservice.users;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.todoservice.auth.PasswordHasher;
import dev.todoservice.auth.Throttle;
import dev.todoservice.auth.TokenService;
import dev.todoservice.db.Text;
import dev.todoservice.failure.Failure;
import dev.todoservice.web.Bodies;
import dev.todoservice.web.MethodNotAllowed;
import dev.todoservice.web.RequestInfo;
import dev.todoservice.web.Responses;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Login ({@code POST /auth/token}, an OAuth2 password-grant form where {@code username} is the email), token refresh
 * ({@code POST /auth/refresh_token}) and logout ({@code POST /auth/logout}). Their answers are never cached.
 *
 * @param users         user look-ups
 * @param hasher        password checks
 * @param tokens        token issuing
 * @param authenticator bearer token checks
 * @param throttle      limits on login attempts
 */
public record LoginService(UserRepository users, PasswordHasher hasher, TokenService tokens,
                           Authenticator authenticator, Throttle throttle) implements HttpService {

    @Override
    public void routing(HttpRules rules) {
        rules.post("/auth/token", this::login)
                .any("/auth/token", MethodNotAllowed.allowing("POST"))
                .post("/auth/refresh_token", this::refresh)
                .any("/auth/refresh_token", MethodNotAllowed.allowing("POST"))
                .post("/auth/logout", authenticator.authenticated(this::logout))
                .any("/auth/logout", MethodNotAllowed.allowing("POST"));
    }

    private void login(ServerRequest req, ServerResponse res) {
        Responses.noStore(req);
        LoginForm login = LoginForm.from(Bodies.form(req));
        throttle.attempt(RequestInfo.clientOf(req), login.email());
        // No account can have an email PostgreSQL cannot store; asking would fail the query itself.
        Optional<UserRepository.Credentials> credentials =
                Text.storable(login.email()) ? users.credentials(login.email()) : Optional.empty();
        boolean valid;
        if (credentials.isPresent()) {
            valid = hasher.verify(login.password(), credentials.get().passwordHash());
        } else {
            hasher.verifyDummy(login.password());
            valid = false;
        }
        if (!valid) {
            throw Failure.unauthenticated("Incorrect email or password");
        }
        sendToken(req, res, tokens.login(credentials.get().email(), credentials.get().generation()));
    }

    // The new token keeps the session's login time, so a chain of refreshes ends after the session's maximum age.
    private void refresh(ServerRequest req, ServerResponse res) {
        TokenService.Claims claims = authenticator.claims(req);
        authenticator.existingUser(Caller.of(claims));
        sendToken(req, res, tokens.refresh(claims));
    }

    private void logout(ServerRequest req, ServerResponse res, Authenticated caller) {
        if (!users.logout(caller.caller())) {
            throw Failure.invalidCredentials();
        }
        Responses.send(req, res, Status.OK_200, Map.of("message", "Logged out"));
    }

    private static void sendToken(ServerRequest req, ServerResponse res, String token) {
        Responses.send(req, res, Status.OK_200, new Token(token, "bearer"));
    }

    /**
     * The token response, as OAuth2 names its members.
     *
     * @param accessToken the JWT
     * @param tokenType   always {@code bearer}
     */
    record Token(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType) {
    }
}
