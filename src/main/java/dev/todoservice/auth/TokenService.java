package dev.todoservice.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues and checks access tokens: HMAC-signed JWTs whose claims are exactly {@code sub} (the email) and
 * {@code exp}. Checks accept only the configured algorithm and allow no clock leeway.
 */
public final class TokenService {

    private final JWSAlgorithm algorithm;
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * Creates the service.
     *
     * @param secret    signing key, long enough for the algorithm
     * @param algorithm HS256, HS384 or HS512
     * @param lifetime  how long a token is valid
     * @param clock     time source
     */
    public TokenService(byte[] secret, String algorithm, Duration lifetime, Clock clock) {
        this.algorithm = JWSAlgorithm.parse(algorithm);
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("SECRET_KEY is not usable for " + algorithm + ": " + e.getMessage(), e);
        }
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * Issues a token for a user.
     *
     * @param email the user's email, the token subject
     * @return the compact JWT
     */
    public String issue(String email) {
        Instant expiry = clock.instant().plus(lifetime);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(email)
                .expirationTime(Date.from(expiry))
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
     * Checks a token.
     *
     * @param token the compact JWT
     * @return its subject when the signature, algorithm and expiry are all good
     */
    public Optional<String> subject(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            if (expiry == null || !clock.instant().isBefore(expiry.toInstant())) {
                return Optional.empty();
            }
            return Optional.ofNullable(claims.getSubject()).filter(s -> !s.isBlank());
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
