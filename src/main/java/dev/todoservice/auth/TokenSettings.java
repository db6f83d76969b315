package dev.todoservice.auth;

import java.time.Duration;
import java.util.Locale;

import dev.todoservice.config.AppEnvironment;
import dev.todoservice.config.Variables;

/**
 * How tokens are signed and how long they last: {@code ALGORITHM}, {@code SECRET_KEY} (or the credential
 * {@code secret_key}), {@code ACCESS_TOKEN_EXPIRE_MINUTES} and {@code SESSION_MAX_AGE}. Production needs a configured
 * key; elsewhere a random one stands in.
 *
 * @param key           the signing key
 * @param algorithm     HS256, HS384 or HS512
 * @param lifetime      how long a token is valid
 * @param sessionMaxAge how long after its login a session ends, however often it was refreshed
 */
public record TokenSettings(SigningKey key, String algorithm, Duration lifetime, Duration sessionMaxAge) {

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is missing or wrong
     */
    public static TokenSettings from(Variables variables) {
        String algorithm = variables.required("ALGORITHM").toUpperCase(Locale.ROOT);
        int minKeyBytes = switch (algorithm) {
            case "HS256" -> 32;
            case "HS384" -> 48;
            case "HS512" -> 64;
            default -> throw new IllegalArgumentException("ALGORITHM must be HS256, HS384 or HS512, not " + algorithm);
        };
        AppEnvironment environment = variables.environment();
        SigningKey key = variables.secret("SECRET_KEY", "secret_key")
                .map(text -> SigningKey.configured(text, minKeyBytes, algorithm))
                .orElseGet(() -> {
                    if (environment == AppEnvironment.PRODUCTION) {
                        throw new IllegalArgumentException("SECRET_KEY is required in production (at least 32 bytes,"
                                + " e.g. from: openssl rand -hex 32)");
                    }
                    return SigningKey.generate();
                });
        return new TokenSettings(key, algorithm,
                                 Duration.ofMinutes(variables.integer("ACCESS_TOKEN_EXPIRE_MINUTES", 1, 525_600)),
                                 variables.duration("SESSION_MAX_AGE", Duration.ofMinutes(1), Duration.ofDays(366)));
    }
}
