package dev.todoservice.auth;

import dev.todoservice.config.Variables;

/**
 * How many credential attempts (login, sign-up, account update) a client and an account may make:
 * {@code THROTTLE_IP_PER_MINUTE}, {@code THROTTLE_ACCOUNT_PER_MINUTE}, {@code THROTTLE_MAX_ENTRIES}.
 *
 * @param clientPerMinute  attempts per client address and minute
 * @param accountPerMinute attempts per account (email) and minute
 * @param maxEntries       most clients and accounts each throttle remembers
 */
public record ThrottleSettings(int clientPerMinute, int accountPerMinute, int maxEntries) {

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static ThrottleSettings from(Variables variables) {
        return new ThrottleSettings(variables.integer("THROTTLE_IP_PER_MINUTE", 1, 1_000_000),
                                    variables.integer("THROTTLE_ACCOUNT_PER_MINUTE", 1, 1_000_000),
                                    variables.integer("THROTTLE_MAX_ENTRIES", 100, 10_000_000));
    }
}
