package dev.todoservice.config;

import java.util.Locale;

/** The deployment mode named by {@code ENV}. */
public enum AppEnvironment {
    /** Strict: a real secret is required, logs are JSON. */
    PRODUCTION,
    /** Local work: a random secret is generated when none is set, logs are text. */
    DEVELOPMENT,
    /** Automated tests. */
    TESTING;

    /**
     * Parses the value of {@code ENV}.
     *
     * @param value {@code production}, {@code development} or {@code testing}, any case
     * @return the mode
     * @throws IllegalArgumentException for any other value
     */
    public static AppEnvironment parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "production" -> PRODUCTION;
            case "development" -> DEVELOPMENT;
            case "testing" -> TESTING;
            default -> throw new IllegalArgumentException(
                    "ENV must be production, development or testing, not '" + value + "'");
        };
    }

    /**
     * The mode as {@code ENV} spells it.
     *
     * @return {@code production}, {@code development} or {@code testing}
     */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
