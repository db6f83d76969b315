package dev.todoservice.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.todoservice.testing.ApiClient;
import dev.todoservice.testing.ApiClient.Account;
import dev.todoservice.testing.ApiClient.Response;
import dev.todoservice.testing.MutableClock;
import dev.todoservice.testing.TestApp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@ServerTest
class AuthApiTest {

    private static final String SECRET = "auth-test-secret-key-with-at-least-32-bytes";
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final ApiClient api;

    AuthApiTest(URI uri) {
        this.api = new ApiClient(uri);
    }

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestApp.setup(server, Map.of("SECRET_KEY", SECRET, "ACCESS_TOKEN_EXPIRE_MINUTES", "30"), CLOCK);
    }

    @Test
    void loginReturnsBearerToken() {
        Account account = api.newAccount();
        Response response = api.login(account.email(), account.password());
        assertThat(response.status(), is(200));
        assertThat(response.json().get("token_type").asText(), is("bearer"));
        assertThat(response.json().get("access_token").asText().split("\\.").length, is(3));
    }

    @Test
    void tokenClaimsAreExactlySubjectAndExpiry() throws Exception {
        Account account = api.newAccount();
        String token = api.login(account.email(), account.password()).json().get("access_token").asText();
        JsonNode header = decode(token.split("\\.")[0]);
        JsonNode claims = decode(token.split("\\.")[1]);
        assertThat(header.get("alg").asText(), is("HS256"));
        assertThat(iterable(claims.fieldNames()), containsInAnyOrder("sub", "exp"));
        assertThat(claims.get("sub").asText(), is(account.email()));
        assertThat(claims.get("exp").asLong(), is(CLOCK.instant().plus(Duration.ofMinutes(30)).getEpochSecond()));
    }

    @Test
    void loginAcceptsEmailInAnyCaseAndIgnoresOAuthExtras() {
        Account account = api.newAccount();
        Response response = api.form("/auth/token", Map.of("username", account.email().toUpperCase(),
                                                          "password", account.password(),
                                                          "grant_type", "password", "scope", "",
                                                          "client_id", "x", "client_secret", "y"));
        assertThat(response.status(), is(200));
    }

    @Test
    void wrongPasswordIsUnauthorized() {
        Account account = api.newAccount();
        Response response = api.login(account.email(), account.password() + "x");
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Incorrect email or password"));
    }

    @Test
    void unknownEmailIsUnauthorizedWithTheSameMessage() {
        Response response = api.login("nobody@example.com", "whatever-password");
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Incorrect email or password"));
    }

    @Test
    void emailThatNoAccountCouldHaveIsUnauthorizedNotAServerError() {
        // PostgreSQL text cannot hold NUL: the lookup itself would fail.
        Response response = api.login("nobody\u0000@example.com", "whatever-password");
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Incorrect email or password"));
    }

    @Test
    void missingFormFieldsAreUnprocessable() {
        Response response = api.form("/auth/token", Map.of("username", "someone@example.com"));
        assertThat(response.status(), is(422));
        assertThat(response.json().at("/detail/0/loc").toString(), is("[\"body\",\"password\"]"));
        assertThat(response.json().at("/detail/0/type").asText(), is("missing"));
    }

    @Test
    void refreshIssuesAFreshTokenForAValidOne() {
        Account account = api.newAccount();
        CLOCK.advance(Duration.ofMinutes(10));
        Response response = api.send("POST", "/auth/refresh_token", account.token(), null);
        assertThat(response.status(), is(200));
        assertThat(response.json().get("token_type").asText(), is("bearer"));
        String fresh = response.json().get("access_token").asText();
        assertThat(fresh, not(account.token()));
        assertThat(decode(fresh.split("\\.")[1]).get("exp").asLong(),
                   is(CLOCK.instant().plus(Duration.ofMinutes(30)).getEpochSecond()));
    }

    @Test
    void expiredTokenCannotBeRefreshed() {
        Account account = api.newAccount();
        CLOCK.advance(Duration.ofMinutes(31));
        Response response = api.send("POST", "/auth/refresh_token", account.token(), null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void tokenIsRejectedAtTheExactSecondItExpires() {
        Account account = api.newAccount();
        Instant expiry = Instant.ofEpochSecond(decode(account.token().split("\\.")[1]).get("exp").asLong());
        CLOCK.advance(Duration.between(CLOCK.instant(), expiry).minusMillis(1));
        assertThat(api.send("GET", "/todos/", account.token(), null).status(), is(200));
        CLOCK.advance(Duration.ofMillis(1));
        assertThat(api.send("GET", "/todos/", account.token(), null).status(), is(401));
    }

    @Test
    void missingAuthorizationIsNotAuthenticated() {
        Response response = api.send("POST", "/auth/refresh_token", null, null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Not authenticated"));
        assertThat(response.header("WWW-Authenticate"), is("Bearer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Bearer", "Token abc", ""})
    void nonBearerAuthorizationIsNotAuthenticated(String header) {
        Response response = api.send(api.request("/todos/").header("Authorization", header).GET().build());
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Not authenticated"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4QGV4YW1wbGUuY29tIn0."})
    void malformedOrUnsignedTokenIsRejected(String token) {
        Response response = api.send("GET", "/todos/", token, null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
        assertThat(response.header("WWW-Authenticate"), is("Bearer"));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejected() throws Exception {
        Account account = api.newAccount();
        String forged = sign(JWSAlgorithm.HS256, "another-secret-key-that-is-32-bytes-or-more", account.email(),
                             CLOCK.instant().plusSeconds(600));
        assertThat(api.send("GET", "/todos/", forged, null).status(), is(401));
    }

    @Test
    void tokenWithAnotherAlgorithmIsRejected() throws Exception {
        Account account = api.newAccount();
        String other = sign(JWSAlgorithm.HS512, SECRET + SECRET, account.email(), CLOCK.instant().plusSeconds(600));
        assertThat(api.send("GET", "/todos/", other, null).status(), is(401));
    }

    @Test
    void tokenWithoutSubjectIsRejected() throws Exception {
        String token = sign(JWSAlgorithm.HS256, SECRET, null, CLOCK.instant().plusSeconds(600));
        Response response = api.send("GET", "/todos/", token, null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void tokenWithoutExpiryIsRejected() throws Exception {
        Account account = api.newAccount();
        String token = sign(JWSAlgorithm.HS256, SECRET, account.email(), null);
        assertThat(api.send("GET", "/todos/", token, null).status(), is(401));
    }

    @Test
    void validTokenForUnknownUserIsRejected() throws Exception {
        String token = sign(JWSAlgorithm.HS256, SECRET, "ghost@example.com", CLOCK.instant().plusSeconds(600));
        Response response = api.send("GET", "/todos/", token, null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void correctlySignedTokenIsAccepted() throws Exception {
        Account account = api.newAccount();
        String token = sign(JWSAlgorithm.HS256, SECRET, account.email(), CLOCK.instant().plusSeconds(600));
        assertThat(api.send("GET", "/todos/", token, null).status(), is(200));
    }

    @Test
    void wrongMethodOnLoginIsMethodNotAllowed() {
        Response response = api.get("/auth/token");
        assertThat(response.status(), is(405));
        assertThat(response.header("Allow"), is("POST"));
    }

    private static String sign(JWSAlgorithm algorithm, String secret, String subject, Instant expiry)
            throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject);
        if (expiry != null) {
            claims.expirationTime(Date.from(expiry));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static JsonNode decode(String part) {
        try {
            return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(part));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        java.util.List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
