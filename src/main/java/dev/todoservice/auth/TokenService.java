package dev.todoservice.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.todoservice.json.Json;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks access tokens: HMAC-signed JWTs with the claims {@code sub} (the email), {@code iat},
 * {@code exp}, {@code auth_time} (the login that started the session; a refresh keeps it) and {@code gen} (the
 * account's credential generation when the token was issued). Checks accept only the configured algorithm and allow
 * no clock leeway; whether {@code gen} is still the account's is for the database to say, in the same statement that
 * does the request's work.
 * <p>
 * A token in exactly the form this service issues (its header byte for byte, no other claims, whole-number times) is
 * checked without Nimbus's general parsing, with an HMAC prepared once (Nimbus looks the algorithm up and parses the
 * header and claims into maps on every check, a seventh of a request's CPU, bench/results); anything else, and
 * anything this path is unsure of, is checked by Nimbus as before, so both answer every token alike.
 */
public final class TokenService {

    private static final String AUTH_TIME = "auth_time";
    private static final String GENERATION = "gen";
    private static final Set<String> ISSUED_CLAIMS = Set.of("sub", "iat", "exp", AUTH_TIME, GENERATION);
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final JWSAlgorithm algorithm;
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final String issuedHeader;
    private final Mac hmac;
    private final Duration lifetime;
    private final Duration sessionMaxAge;
    private final Clock clock;

    /**
     * The claims of a valid token.
     *
     * @param subject    the account it names (the email)
     * @param generation the account's credential generation when the token was issued
     * @param authTime   when the session's login happened
     */
    public record Claims(String subject, long generation, Instant authTime) {
    }

    /**
     * Creates the service.
     *
     * @param settings the key, algorithm, token lifetime and session age
     * @param clock    time source
     */
    public TokenService(TokenSettings settings, Clock clock) {
        this.algorithm = JWSAlgorithm.parse(settings.algorithm());
        try {
            this.signer = new MACSigner(settings.key().bytes());
            this.verifier = new MACVerifier(settings.key().bytes());
            String jca = "Hmac" + settings.algorithm().replace("HS", "SHA");
            this.hmac = Mac.getInstance(jca);
            this.hmac.init(new SecretKeySpec(settings.key().bytes(), jca));
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalArgumentException("SECRET_KEY is not usable for " + settings.algorithm() + ": "
                    + e.getMessage(), e);
        }
        this.issuedHeader = header().toBase64URL().toString();
        this.lifetime = settings.lifetime();
        this.sessionMaxAge = settings.sessionMaxAge();
        this.clock = clock;
    }

    /**
     * Issues the first token of a session, at a login.
     *
     * @param subject    the account (the email)
     * @param generation its current credential generation
     * @return the compact JWT
     */
    public String login(String subject, long generation) {
        return issue(subject, generation, now());
    }

    /**
     * Issues a fresh token for the session of a valid one; it never outlives the session.
     *
     * @param claims the valid token's claims, with the account's current generation
     * @return the compact JWT
     */
    public String refresh(Claims claims) {
        return issue(claims.subject(), claims.generation(), claims.authTime());
    }

    private String issue(String subject, long generation, Instant authTime) {
        Instant now = now();
        Instant sessionEnd = authTime.plus(sessionMaxAge);
        Instant expiry = now.plus(lifetime).isAfter(sessionEnd) ? sessionEnd : now.plus(lifetime);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiry))
                .claim(AUTH_TIME, authTime.getEpochSecond())
                .claim(GENERATION, generation)
                .build();
        SignedJWT jwt = new SignedJWT(header(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
        return jwt.serialize();
    }

    private JWSHeader header() {
        return new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build();
    }

    /**
     * Checks a token's signature, algorithm, expiry and session age.
     *
     * @param token the compact JWT
     * @return its claims when all are good and present
     */
    public Optional<Claims> verify(String token) {
        int headerEnd = token.indexOf('.');
        if (headerEnd != issuedHeader.length() || !token.startsWith(issuedHeader)) {
            return verifyAnyForm(token);
        }
        int payloadEnd = token.indexOf('.', headerEnd + 1);
        if (payloadEnd < 0 || token.indexOf('.', payloadEnd + 1) >= 0) {
            // Not three parts: not a signed JWT (Nimbus refuses it too).
            return Optional.empty();
        }
        try {
            byte[] signature = BASE64URL.decode(token.substring(payloadEnd + 1));
            byte[] expected = ((Mac) hmac.clone()).doFinal(
                    token.substring(0, payloadEnd).getBytes(StandardCharsets.UTF_8));
            if (!MessageDigest.isEqual(expected, signature)) {
                return Optional.empty();
            }
            JsonNode claims = Json.parse(new String(BASE64URL.decode(token.substring(headerEnd + 1, payloadEnd)),
                                                    StandardCharsets.UTF_8));
            return issuedClaims(claims).orElseGet(() -> verifyAnyForm(token));
        } catch (IllegalArgumentException | IOException | CloneNotSupportedException e) {
            // Base64 or JSON that Nimbus reads more leniently: it decides.
            return verifyAnyForm(token);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    // The claims of a correctly signed token when they are exactly the issued ones; empty when Nimbus must decide.
    private Optional<Optional<Claims>> issuedClaims(JsonNode claims) {
        if (!(claims instanceof ObjectNode object)) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> claim : object.properties()) {
            String name = claim.getKey();
            JsonNode value = claim.getValue();
            boolean usual = name.equals("sub")
                    ? value.isTextual()
                    : value.isIntegralNumber() && value.canConvertToLong();
            if (!ISSUED_CLAIMS.contains(name) || !usual) {
                return Optional.empty();
            }
        }
        JsonNode expiry = object.get("exp");
        // Nimbus keeps exp as a java.util.Date in milliseconds.
        if (expiry != null && Math.abs(expiry.longValue()) > Long.MAX_VALUE / 1000) {
            return Optional.empty();
        }
        if (expiry == null || !object.has("iat") || !object.has(AUTH_TIME) || !object.has(GENERATION)
                || !object.has("sub")) {
            return Optional.of(Optional.empty());
        }
        return Optional.of(valid(object.get("sub").textValue(), Instant.ofEpochSecond(expiry.longValue()),
                                 object.get(AUTH_TIME).longValue(), object.get(GENERATION).longValue()));
    }

    private Optional<Claims> valid(String subject, Instant expiry, long authTime, long generation) {
        Instant now = clock.instant();
        if (!now.isBefore(expiry) || subject.isBlank()) {
            return Optional.empty();
        }
        Instant login = Instant.ofEpochSecond(authTime);
        if (!now.isBefore(login.plus(sessionMaxAge))) {
            return Optional.empty();
        }
        return Optional.of(new Claims(subject, generation, login));
    }

    /**
     * {@link #verify} by Nimbus alone, whatever the token's form.
     *
     * @param token the compact JWT
     * @return its claims when all are good and present
     */
    Optional<Claims> verifyAnyForm(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            Long authTime = claims.getLongClaim(AUTH_TIME);
            Long generation = claims.getLongClaim(GENERATION);
            String subject = claims.getSubject();
            if (expiry == null || claims.getIssueTime() == null || authTime == null || generation == null
                    || subject == null) {
                return Optional.empty();
            }
            return valid(subject, expiry.toInstant(), authTime, generation);
        } catch (ParseException | JOSEException | IllegalStateException | DateTimeException e) {
            return Optional.empty();
        }
    }

    // JWT times are whole seconds: truncating here keeps auth_time + max age exactly what the token says.
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
