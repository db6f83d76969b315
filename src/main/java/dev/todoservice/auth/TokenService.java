package dev.todoservice.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues and checks access tokens: HMAC-signed JWTs with the claims {@code sub} (the email), {@code iat},
 * {@code exp}, {@code auth_time} (the login that started the session; a refresh keeps it) and {@code gen} (the
 * account's credential generation when the token was issued). Checks accept only the configured algorithm and allow
 * no clock leeway; whether {@code gen} is still the account's is for the database to say, in the same statement that
 * does the request's work.
 */
public final class TokenService {

    private static final String AUTH_TIME = "auth_time";
    private static final String GENERATION = "gen";

    private final JWSAlgorithm algorithm;
    private final MACSigner signer;
    private final MACVerifier verifier;
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
        } catch (JOSEException e) {
            throw new IllegalArgumentException("SECRET_KEY is not usable for " + settings.algorithm() + ": "
                    + e.getMessage(), e);
        }
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
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
        return jwt.serialize();
    }

    /**
     * Checks a token's signature, algorithm, expiry and session age.
     *
     * @param token the compact JWT
     * @return its claims when all are good and present
     */
    public Optional<Claims> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date expiry = claims.getExpirationTime();
            Long authTime = claims.getLongClaim(AUTH_TIME);
            Long generation = claims.getLongClaim(GENERATION);
            String subject = claims.getSubject();
            if (expiry == null || !now.isBefore(expiry.toInstant()) || claims.getIssueTime() == null
                    || authTime == null || generation == null || subject == null || subject.isBlank()) {
                return Optional.empty();
            }
            Instant login = Instant.ofEpochSecond(authTime);
            if (!now.isBefore(login.plus(sessionMaxAge))) {
                return Optional.empty();
            }
            return Optional.of(new Claims(subject, generation, login));
        } catch (ParseException | JOSEException | IllegalStateException | DateTimeException e) {
            return Optional.empty();
        }
    }

    // JWT times are whole seconds: truncating here keeps auth_time + max age exactly what the token says.
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
