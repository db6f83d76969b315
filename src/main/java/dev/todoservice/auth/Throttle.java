package dev.todoservice.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import dev.todoservice.web.ApiException;
import dev.todoservice.web.RequestInfo;
import io.helidon.webserver.http.ServerRequest;

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
     * @param clientPerMinute  attempts per client address and minute
     * @param accountPerMinute attempts per account and minute
     * @param maxEntries       most clients and accounts each remembered
     * @param clock            time source
     */
    public Throttle(int clientPerMinute, int accountPerMinute, int maxEntries, Clock clock) {
        this.perClient = new RateLimiter(clientPerMinute, maxEntries, clock);
        this.perAccount = new RateLimiter(accountPerMinute, maxEntries, clock);
    }

    /**
     * Counts an attempt, or refuses it.
     *
     * @param req   the request, for its client address
     * @param email the account the attempt is for
     * @throws ApiException 429 when the client or the account is over its limit
     */
    public void attempt(ServerRequest req, String email) {
        String client = req.context().get(RequestInfo.class).map(RequestInfo::clientIp)
                .orElseGet(() -> req.remotePeer().host());
        refuseIfWaiting(perClient.acquire(client));
        refuseIfWaiting(perAccount.acquire(email.toLowerCase(Locale.ROOT)));
    }

    private static void refuseIfWaiting(Duration wait) {
        if (!wait.isZero()) {
            throw ApiException.tooManyRequests(wait);
        }
    }
}
