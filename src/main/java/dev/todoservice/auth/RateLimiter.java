package dev.todoservice.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * At most {@code perMinute} attempts a minute for each key, in bursts of up to {@code perMinute} (the generic cell
 * rate algorithm: a token bucket kept as one timestamp per key).
 *
 * <p>Keys are client-chosen (addresses, emails), so memory is bounded: at most {@code maxEntries} keys are kept,
 * each as a 128-bit digest whatever the key's length, and the least recently seen key goes first. A key evicted while
 * still limited starts afresh; that needs as many other keys as the cap between two of its attempts.
 */
final class RateLimiter {

    private final long intervalMillis;
    private final long burstMillis;
    private final int maxEntries;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, long[]> readyAt;

    /**
     * Creates a limiter.
     *
     * @param perMinute  attempts a key may make a minute, all at once if it likes
     * @param maxEntries most keys remembered
     * @param clock      time source
     */
    RateLimiter(int perMinute, int maxEntries, Clock clock) {
        this.intervalMillis = Math.max(1, Duration.ofMinutes(1).toMillis() / perMinute);
        this.burstMillis = intervalMillis * (perMinute - 1);
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.readyAt = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, long[]> eldest) {
                return size() > RateLimiter.this.maxEntries;
            }
        };
    }

    /**
     * Counts an attempt for a key, unless the key is over its limit.
     *
     * @param key the client or account
     * @return zero when the attempt is allowed (and counted), else how long until the next one is
     */
    Duration acquire(String key) {
        Key digest = Key.of(key);
        long now = clock.millis();
        lock.lock();
        try {
            // The time the key's bucket is empty again; an allowed attempt moves it one interval on.
            long[] theoretical = readyAt.computeIfAbsent(digest, k -> new long[] {now});
            long start = Math.max(theoretical[0], now);
            long wait = start - now - burstMillis;
            if (wait > 0) {
                return Duration.ofMillis(wait);
            }
            theoretical[0] = start + intervalMillis;
            return Duration.ZERO;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many keys are remembered.
     *
     * @return the count, at most the cap
     */
    int size() {
        lock.lock();
        try {
            return readyAt.size();
        } finally {
            lock.unlock();
        }
    }

    private record Key(long high, long low) {

        static Key of(String key) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
                long high = 0;
                long low = 0;
                for (int i = 0; i < 8; i++) {
                    high = high << 8 | (digest[i] & 0xFF);
                    low = low << 8 | (digest[i + 8] & 0xFF);
                }
                return new Key(high, low);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }
}
