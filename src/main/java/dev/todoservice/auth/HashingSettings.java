package dev.todoservice.auth;

import java.time.Duration;

import dev.todoservice.config.Variables;

/**
 * What password hashing may take from the process: {@code PASSWORD_HASH_THREADS} (0: every core but one, so hashing
 * never takes all of them from the request threads), {@code PASSWORD_HASH_QUEUE}, {@code PASSWORD_HASH_MAX_WAIT}.
 *
 * @param threads platform threads computing hashes
 * @param queue   hashes that may wait for a thread
 * @param maxWait how long a hash may wait for a thread before its request is answered 503
 */
public record HashingSettings(int threads, int queue, Duration maxWait) {

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static HashingSettings from(Variables variables) {
        int threads = variables.integer("PASSWORD_HASH_THREADS", 0, 256);
        return new HashingSettings(threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
                                   variables.integer("PASSWORD_HASH_QUEUE", 0, 10_000),
                                   variables.duration("PASSWORD_HASH_MAX_WAIT", Duration.ofMillis(1),
                                                      Duration.ofMinutes(1)));
    }
}
