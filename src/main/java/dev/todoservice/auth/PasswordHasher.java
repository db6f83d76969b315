package dev.todoservice.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.todoservice.failure.Failure;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}), with
 * OWASP's minimum parameters by default.
 *
 * <p>Hashing is CPU- and memory-hard, so it runs on a few dedicated platform threads, never on the virtual threads'
 * carriers: however many logins arrive, the other routes keep their CPU. A request's virtual thread parks while its
 * hash waits in a bounded queue; when the queue is full, or the hash has not started within the maximum wait, the
 * request is answered 503 with {@code Retry-After} instead of queueing without bound.
 * <p>Hashes are computed by libargon2 where it loads, by BouncyCastle's pure Java otherwise ({@link Argon2Engine}).
 */
public final class PasswordHasher {

    /** OWASP minimum: 19 MiB, 2 passes, 1 lane. */
    public static final int MEMORY_KIB = 19 * 1024;
    /** OWASP minimum passes. */
    public static final int ITERATIONS = 2;
    /** Lanes. */
    public static final int PARALLELISM = 1;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final ThreadPoolExecutor pool;
    private final Duration maxWait;
    private final String dummyHash;
    private final Argon2Engine engine;

    /**
     * Creates a hasher.
     *
     * @param settings platform threads computing hashes (each holds {@value #MEMORY_KIB} KiB while it works), hashes
     *                 that may wait for one, and how long
     */
    public PasswordHasher(HashingSettings settings) {
        // Chosen at the first hash, not here: loading libargon2 through JNA (unpacking it, a self-test) held up
        // start-up by about 80 ms, also on a thread of its own (bench/results/2026-11-30.md); the first login pays it.
        this(settings, (password, salt, memoryKib, iterations, parallelism, length) ->
                Argon2Engine.preferred().hash(password, salt, memoryKib, iterations, parallelism, length));
    }

    /**
     * Creates a hasher computing with a given engine.
     *
     * @param settings hashing threads, queue and maximum wait
     * @param engine   what computes the hashes
     */
    PasswordHasher(HashingSettings settings, Argon2Engine engine) {
        this.engine = engine;
        int threads = settings.threads();
        int queue = settings.queue();
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                                           // Without a queue, a hash is accepted only when a thread is free.
                                           queue > 0 ? new ArrayBlockingQueue<>(queue) : new SynchronousQueue<>(),
                                           task -> Thread.ofPlatform()
                                                   .name("password-hash-" + count.incrementAndGet())
                                                   .daemon(true)
                                                   .unstarted(task));
        // Idle threads go away, so an instance needs no closing.
        this.pool.allowCoreThreadTimeOut(true);
        this.maxWait = settings.maxWait();
        // The real parameters with random salt and hash bytes: checking a password against it costs what a real
        // check costs, and never matches. Random bytes, not a computed hash: start-up spends no hash on it.
        this.dummyHash = phc(randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));
    }

    /**
     * Hashes being computed now; at the thread count, further hashes queue or are refused.
     *
     * @return busy hashing threads
     */
    public int inProgress() {
        return pool.getActiveCount();
    }

    /**
     * Publishes {@link #inProgress()} as the gauge {@code password.hashes.active}.
     *
     * @return this
     */
    public PasswordHasher withMetric() {
        Metrics.globalRegistry().getOrCreate(Gauge.builder("password.hashes.active", this::inProgress)
                                                     .description("Password hashes being computed now"));
        return this;
    }

    /**
     * Hashes a password with a fresh salt.
     *
     * @param password the password
     * @return the PHC string
     * @throws Failure {@link Failure.Kind#UNAVAILABLE} when no hashing thread is free within the maximum wait
     */
    public String hash(String password) {
        byte[] salt = randomBytes(SALT_BYTES);
        return phc(salt, compute(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES));
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String phc(byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Checks a password against a stored hash in constant time.
     *
     * @param password the candidate
     * @param phc      the stored PHC string
     * @return true when they match
     * @throws Failure {@link Failure.Kind#UNAVAILABLE} when no hashing thread is free within the maximum wait
     */
    public boolean verify(String password, String phc) {
        try {
            return verifyPhc(password, phc);
        } catch (IllegalArgumentException e) {
            // A malformed stored hash (number or Base64) never matches.
            return false;
        }
    }

    private boolean verifyPhc(String password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int memory = 0;
        int iterations = 0;
        int parallelism = 0;
        for (String param : parts[3].split(",")) {
            String[] kv = param.split("=", 2);
            int value = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "m" -> memory = value;
                case "t" -> iterations = value;
                case "p" -> parallelism = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64_DECODER.decode(parts[4]);
        byte[] expected = B64_DECODER.decode(parts[5]);
        byte[] actual = compute(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Spends the same time as a real verification, for unknown accounts, so timing does not reveal which emails
     * are registered.
     *
     * @param password the candidate
     * @throws Failure {@link Failure.Kind#UNAVAILABLE} when no hashing thread is free within the maximum wait
     */
    public void verifyDummy(String password) {
        verify(password, dummyHash);
    }

    private byte[] compute(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        // Whoever claims the job first decides: the hashing thread (it runs) or a waiter that gave up (it never runs).
        AtomicBoolean claimed = new AtomicBoolean();
        FutureTask<byte[]> job = new FutureTask<>(() -> {
            if (!claimed.compareAndSet(false, true)) {
                return null;
            }
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            return engine.hash(bytes, salt, memory, iterations, parallelism, length);
        });
        try {
            pool.execute(job);
        } catch (RejectedExecutionException e) {
            throw busy();
        }
        try {
            try {
                return job.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (claimed.compareAndSet(false, true)) {
                    pool.remove(job);
                    throw busy();
                }
                // Already computing: it finishes in one hash's time.
                return job.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Password hashing failed", e.getCause());
        }
    }

    private static Failure busy() {
        return Failure.unavailable(Duration.ofSeconds(1), null);
    }
}
