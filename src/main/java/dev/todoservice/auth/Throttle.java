package dev.todoservice.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import dev.todoservice.failure.Failure;

/**
 * Limits attempts with credentials (login, sign-up, account update) per client address and per account, so neither
 * one client nor a crowd of them can guess passwords quickly or keep the hashing threads busy. Over a limit the answer
 * is 429 with {@code Retry-After}. The client address is the one {@code TRUSTED_PROXIES} vouch for; the account is the
 * email, compared in lower case, whether or not such an account exists.
 */
public final class Throttle {

    private final RateLimiter perClient;
    private final RateLimiter perAccount;

    /**
     * Creates the throttle.
     *
     * @param settings attempts per client and per account a minute, and how many of each are remembered
     * @param clock    time source
     */
    public Throttle(ThrottleSettings settings, Clock clock) {
        this.perClient = new RateLimiter(settings.clientPerMinute(), settings.maxEntries(), clock);
        this.perAccount = new RateLimiter(settings.accountPerMinute(), settings.maxEntries(), clock);
    }

    /**
     * Counts an attempt, or refuses it.
     *
     * @param client the client's address
     * @param email  the account the attempt is for
     * @throws Failure {@link Failure.Kind#TOO_MANY_REQUESTS} when the client or the account is over its limit
     */
    public void attempt(String client, String email) {
        refuseIfWaiting(perClient.acquire(client));
        refuseIfWaiting(perAccount.acquire(email.toLowerCase(Locale.ROOT)));
    }

    private static void refuseIfWaiting(Duration wait) {
        if (!wait.isZero()) {
            throw Failure.tooManyRequests(wait);
        }
    }
}
