package dev.todoservice.users;

import dev.todoservice.config.AppEnvironment;
import dev.todoservice.config.Variables;

/**
 * Who may read accounts: {@code USERS_LIST_PUBLIC}, false in production and true elsewhere unless set.
 *
 * @param listPublic whether reading users needs no token and shows every email (the tutorial's behaviour)
 */
public record UserSettings(boolean listPublic) {

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static UserSettings from(Variables variables) {
        return new UserSettings(variables.optionalBool("USERS_LIST_PUBLIC")
                                        .orElse(variables.environment() != AppEnvironment.PRODUCTION));
    }
}
