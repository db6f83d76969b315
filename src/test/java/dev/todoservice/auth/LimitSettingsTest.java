package dev.todoservice.auth;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The throttles' and the password hashing's settings. */
class LimitSettingsTest {

    @Test
    void throttlesHaveProductionDefaults() {
        assertThat(ThrottleSettings.from(variables(production())), is(new ThrottleSettings(30, 10, 100_000)));
    }

    @Test
    void hashingHasProductionDefaults() {
        assertThat(HashingSettings.from(variables(production())),
                   is(new HashingSettings(Math.max(1, Runtime.getRuntime().availableProcessors() - 1), 16,
                                          Duration.ofSeconds(2))));
    }

    @Test
    void limitsCanBeChosen() {
        assertThat(ThrottleSettings.from(variables(production("THROTTLE_IP_PER_MINUTE", "5",
                                                                 "THROTTLE_ACCOUNT_PER_MINUTE", "3",
                                                                 "THROTTLE_MAX_ENTRIES", "100"))),
                   is(new ThrottleSettings(5, 3, 100)));
        assertThat(HashingSettings.from(variables(production("PASSWORD_HASH_THREADS", "3", "PASSWORD_HASH_QUEUE", "0",
                                                                "PASSWORD_HASH_MAX_WAIT", "5s"))),
                   is(new HashingSettings(3, 0, Duration.ofSeconds(5))));
    }

    @ParameterizedTest
    @CsvSource({"THROTTLE_IP_PER_MINUTE, 0", "THROTTLE_ACCOUNT_PER_MINUTE, x", "THROTTLE_MAX_ENTRIES, 10"})
    void invalidThrottleIsRefusedNamingTheVariable(String name, String value) {
        assertThat(failure(ThrottleSettings::from, production(name, value)), containsString(name));
    }

    @ParameterizedTest
    @CsvSource({"PASSWORD_HASH_MAX_WAIT, 0ms", "PASSWORD_HASH_QUEUE, -1", "PASSWORD_HASH_THREADS, 257"})
    void invalidHashingIsRefusedNamingTheVariable(String name, String value) {
        assertThat(failure(HashingSettings::from, production(name, value)), containsString(name));
    }
}
