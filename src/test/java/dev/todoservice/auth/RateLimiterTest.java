package dev.todoservice.auth;

import java.time.Duration;
import java.time.Instant;

import dev.todoservice.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

class RateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2031-01-01T00:00:00Z"));

    @Test
    void allowsABurstOfTheMinutesAttemptsThenOneAttemptPerInterval() {
        RateLimiter limiter = new RateLimiter(6, 100, clock);
        for (int i = 0; i < 6; i++) {
            assertThat(limiter.acquire("client"), is(Duration.ZERO));
        }
        assertThat(limiter.acquire("client"), is(Duration.ofSeconds(10)));
        clock.advance(Duration.ofSeconds(4));
        assertThat(limiter.acquire("client"), is(Duration.ofSeconds(6)));
        clock.advance(Duration.ofSeconds(6));
        assertThat(limiter.acquire("client"), is(Duration.ZERO));
        assertThat(limiter.acquire("client"), is(Duration.ofSeconds(10)));
    }

    @Test
    void refusedAttemptsDoNotDelayTheNextAllowedOne() {
        RateLimiter limiter = new RateLimiter(1, 100, clock);
        assertThat(limiter.acquire("client"), is(Duration.ZERO));
        for (int i = 0; i < 100; i++) {
            limiter.acquire("client");
        }
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.acquire("client"), is(Duration.ZERO));
    }

    @Test
    void keysAreLimitedIndependently() {
        RateLimiter limiter = new RateLimiter(1, 100, clock);
        assertThat(limiter.acquire("one"), is(Duration.ZERO));
        assertThat(limiter.acquire("two"), is(Duration.ZERO));
        assertThat(limiter.acquire("one"), is(Duration.ofMinutes(1)));
    }

    @Test
    void remembersAtMostItsCapOfKeysHoweverManyClientsThereAre() {
        RateLimiter limiter = new RateLimiter(10, 1000, clock);
        for (int i = 0; i < 50_000; i++) {
            limiter.acquire("client-" + i + "-" + "x".repeat(i % 500));
        }
        assertThat(limiter.size(), lessThanOrEqualTo(1000));
    }

    @Test
    void aKeyInUseStaysRememberedWhileOthersComeAndGo() {
        RateLimiter limiter = new RateLimiter(1, 10, clock);
        limiter.acquire("attacker");
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("spray-" + i);
            if (i % 5 == 0) {
                assertThat(limiter.acquire("attacker"), is(Duration.ofMinutes(1)));
            }
        }
    }
}
