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

import static dev.todoservice.testing.ApiClient.fieldNames;
import static dev.todoservice.testing.ApiClient.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
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
    void tokenClaimsAreSubjectIssueTimeExpiryLoginTimeAndCredentialGeneration() {
        Account account = api.newAccount();
        String token = api.login(account.email(), account.password()).json().get("access_token").asText();
        JsonNode header = decode(token.split("\\.")[0]);
        JsonNode claims = claims(token);
        assertThat(header.get("alg").asText(), is("HS256"));
        assertThat(fieldNames(claims), containsInAnyOrder("sub", "iat", "exp", "auth_time", "gen"));
        assertThat(claims.get("sub").asText(), is(account.email()));
        assertThat(claims.get("iat").asLong(), is(CLOCK.instant().getEpochSecond()));
        assertThat(claims.get("auth_time").asLong(), is(CLOCK.instant().getEpochSecond()));
        assertThat(claims.get("exp").asLong(), is(CLOCK.instant().plus(Duration.ofMinutes(30)).getEpochSecond()));
        assertThat(claims.get("gen").toString(), matchesPattern("[0-9]+"));
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
        assertThat(claims(fresh).get("exp").asLong(),
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
        Instant expiry = Instant.ofEpochSecond(claims(account.token()).get("exp").asLong());
        CLOCK.advance(Duration.between(CLOCK.instant(), expiry).minusMillis(1));
        assertThat(api.send("GET", "/todos/", account.token(), null).status(), is(200));
        CLOCK.advance(Duration.ofMillis(1));
        assertThat(api.send("GET", "/todos/", account.token(), null).status(), is(401));
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

    @ParameterizedTest
    @ValueSource(strings = {"sub", "exp", "iat", "auth_time", "gen"})
    void tokenWithoutOneOfItsClaimsIsRejected(String claim) throws Exception {
        Account account = api.newAccount();
        JWTClaimsSet complete = claimsFor(account.email(), claims(account.token()).get("gen").asLong()).build();
        JWTClaimsSet.Builder without = new JWTClaimsSet.Builder();
        complete.getClaims().forEach((name, value) -> {
            if (!name.equals(claim)) {
                without.claim(name, value);
            }
        });
        Response response = api.send("GET", "/todos/", sign(JWSAlgorithm.HS256, SECRET, without.build()), null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void validTokenForUnknownUserIsRejected() throws Exception {
        String token = sign(JWSAlgorithm.HS256, SECRET, claimsFor("ghost@example.com", 1).build());
        Response response = api.send("GET", "/todos/", token, null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void correctlySignedTokenForTheAccountsCurrentCredentialsIsAccepted() throws Exception {
        Account account = api.newAccount();
        long generation = claims(account.token()).get("gen").asLong();
        String token = sign(JWSAlgorithm.HS256, SECRET, claimsFor(account.email(), generation).build());
        assertThat(api.send("GET", "/todos/", token, null).status(), is(200));
    }

    @Test
    void tokenOfTheOldFormatWithoutGenerationIsRejected() throws Exception {
        Account account = api.newAccount();
        String token = sign(JWSAlgorithm.HS256, SECRET, account.email(), CLOCK.instant().plusSeconds(600));
        Response response = api.send("GET", "/todos/", token, null);
        assertThat(response.status(), is(401));
        assertThat(response.detail(), is("Could not validate credentials"));
    }

    @Test
    void tokenDoesNotReachAnAccountThatLaterTookOverItsEmail() {
        // The attack of issue 9: sign up with the victim's email, keep the token, move away, wait for the victim.
        Account attacker = api.newAccount();
        String kept = attacker.token();
        Response moved = api.send("PUT", "/users/" + attacker.id(), kept,
                                  json(Map.of("username", attacker.username(), "email", "moved-" + attacker.email(),
                                              "password", attacker.password())));
        assertThat(moved.status(), is(200));
        Response victim = api.send("POST", "/users/", null, json(Map.of("username", "victim-" + attacker.username(),
                                                                       "email", attacker.email(),
                                                                       "password", "victims-own-password")));
        assertThat(victim.status(), is(201));
        Account victimAccount = new Account(victim.json().get("id").asLong(), "victim", attacker.email(),
                                            "victims-own-password",
                                            api.login(attacker.email(), "victims-own-password").json()
                                                    .get("access_token").asText());
        api.createTodo(victimAccount, "victim's secret", "", "todo");

        assertThat(api.send("GET", "/todos/", kept, null).status(), is(401));
        assertThat(api.send("POST", "/todos/", kept, json(Map.of("title", "planted", "description", "",
                                                                  "state", "todo"))).status(), is(401));
        Response takeover = api.send("PUT", "/users/" + victimAccount.id(), kept,
                                     json(Map.of("username", "owned", "email", "owned@example.com",
                                                 "password", "attackers-password")));
        assertThat(takeover.status(), is(401));
        assertThat(api.login(attacker.email(), "victims-own-password").status(), is(200));
    }

    @Test
    void passwordChangeRevokesTokensIssuedBeforeItEvenWithinTheSameSecond() {
        // The clock does not move: the old token, the change and the new login all happen in one second.
        Account account = api.newAccount();
        Response changed = api.send("PUT", "/users/" + account.id(), account.token(),
                                    json(Map.of("username", account.username(), "email", account.email(),
                                                "password", "a-new-password")));
        assertThat(changed.status(), is(200));
        Response fresh = api.login(account.email(), "a-new-password");
        String freshToken = fresh.json().get("access_token").asText();
        assertThat(claims(freshToken).get("iat").asLong(), is(claims(account.token()).get("iat").asLong()));

        Response old = api.send("GET", "/todos/", account.token(), null);
        assertThat(old.status(), is(401));
        assertThat(old.detail(), is("Could not validate credentials"));
        assertThat(api.send("GET", "/todos/", freshToken, null).status(), is(200));
        assertThat(api.send("POST", "/auth/refresh_token", account.token(), null).status(), is(401));
    }

    @Test
    void logoutRevokesEveryTokenOfTheAccountIssuedUntilThen() {
        Account account = api.newAccount();
        String other = api.login(account.email(), account.password()).json().get("access_token").asText();
        Response response = api.send("POST", "/auth/logout", account.token(), null);
        assertThat(response.status(), is(200));
        assertThat(response.json().get("message").asText(), is("Logged out"));
        assertThat(api.send("GET", "/todos/", account.token(), null).status(), is(401));
        assertThat(api.send("GET", "/todos/", other, null).status(), is(401));
        String after = api.login(account.email(), account.password()).json().get("access_token").asText();
        assertThat(api.send("GET", "/todos/", after, null).status(), is(200));
    }




    @Test
    void refreshKeepsTheLoginTime() {
        Account account = api.newAccount();
        long login = claims(account.token()).get("auth_time").asLong();
        CLOCK.advance(Duration.ofMinutes(20));
        String fresh = api.send("POST", "/auth/refresh_token", account.token(), null).json()
                .get("access_token").asText();
        assertThat(claims(fresh).get("auth_time").asLong(), is(login));
        assertThat(claims(fresh).get("iat").asLong(), is(CLOCK.instant().getEpochSecond()));
    }

    @Test
    void aChainOfRefreshesEndsAtTheSessionsMaximumAge() {
        Account account = api.newAccount();
        Instant sessionEnd = Instant.ofEpochSecond(claims(account.token()).get("auth_time").asLong())
                .plus(Duration.ofHours(12));
        String token = account.token();
        while (CLOCK.instant().plus(Duration.ofMinutes(25)).isBefore(sessionEnd)) {
            CLOCK.advance(Duration.ofMinutes(25));
            Response refreshed = api.send("POST", "/auth/refresh_token", token, null);
            assertThat("refresh at " + CLOCK.instant(), refreshed.status(), is(200));
            token = refreshed.json().get("access_token").asText();
        }
        assertThat(claims(token).get("exp").asLong(), is(sessionEnd.getEpochSecond()));
        CLOCK.advance(Duration.between(CLOCK.instant(), sessionEnd));
        assertThat(api.send("POST", "/auth/refresh_token", token, null).status(), is(401));
        assertThat(api.send("GET", "/todos/", token, null).status(), is(401));
    }

    @Test
    void tokenAnswersAreNeverCached() {
        Account account = api.newAccount();
        assertThat(api.login(account.email(), account.password()).header("Cache-Control"), is("no-store"));
        assertThat(api.login(account.email(), "wrong-password").header("Cache-Control"), is("no-store"));
        assertThat(api.send("POST", "/auth/refresh_token", account.token(), null).header("Cache-Control"),
                   is("no-store"));
    }


    private static String sign(JWSAlgorithm algorithm, String secret, String subject, Instant expiry)
            throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject);
        if (expiry != null) {
            claims.expirationTime(Date.from(expiry));
        }
        return sign(algorithm, secret, claims.build());
    }

    private static String sign(JWSAlgorithm algorithm, String secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    // Everything the service itself puts in a token, valid for ten minutes from now.
    private static JWTClaimsSet.Builder claimsFor(String email, long generation) {
        Instant now = CLOCK.instant();
        return new JWTClaimsSet.Builder()
                .subject(email)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("auth_time", now.getEpochSecond())
                .claim("gen", generation);
    }

    private static JsonNode claims(String token) {
        return decode(token.split("\\.")[1]);
    }

    private static JsonNode decode(String part) {
        try {
            return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(part));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
