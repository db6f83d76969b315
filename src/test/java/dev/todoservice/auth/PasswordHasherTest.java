package dev.todoservice.auth;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.todoservice.failure.Failure;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PasswordHasherTest {

    /** A stored hash with many passes: verifying it takes about 2.5 s of CPU on this project's 2-core CI machine. */
    static final String SLOW_HASH =
            "$argon2id$v=19$m=19456,t=60,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    private final PasswordHasher hasher = new PasswordHasher(new HashingSettings(1, 4, Duration.ofSeconds(30)));

    @Test
    void hashIsArgon2idWithOwaspMinimumParameters() {
        assertThat(hasher.hash("correct horse"), startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
    }

    @Test
    void samePasswordGetsADifferentSaltEachTime() {
        assertThat(hasher.hash("correct horse"), not(hasher.hash("correct horse")));
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = hasher.hash("correct horse ✓");
        assertThat(hasher.verify("correct horse ✓", hash), is(true));
        assertThat(hasher.verify("correct horse", hash), is(false));
    }

    @Test
    void malformedStoredHashNeverMatches() {
        assertThat(hasher.verify("x", "$argon2id$v=19$m=abc,t=2,p=1$c2FsdA$aGFzaA"), is(false));
        assertThat(hasher.verify("x", "plain-text"), is(false));
        assertThat(hasher.verify("x", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"), is(false));
    }

    @Test
    void withEveryThreadBusyAndNoQueueAHashIsRefusedAtOnce() throws Exception {
        PasswordHasher oneThread = new PasswordHasher(new HashingSettings(1, 0, Duration.ofMinutes(1)));
        CyclicBarrier start = new CyclicBarrier(2);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Boolean>> verifications = List.of(
                    CompletableFuture.supplyAsync(() -> verifyAfter(start, oneThread), callers),
                    CompletableFuture.supplyAsync(() -> verifyAfter(start, oneThread), callers));
            CompletableFuture<Object> first = CompletableFuture.anyOf(verifications.toArray(CompletableFuture[]::new));
            ExecutionException refused = assertThrows(ExecutionException.class, first::get);
            assertThat(refused.getCause(), instanceOf(Failure.class));
            assertThat(((Failure) refused.getCause()).kind(), is(Failure.Kind.UNAVAILABLE));
            CompletableFuture<Boolean> running = verifications.stream().filter(v -> !v.isDone()).findFirst()
                    .orElseThrow(() -> new AssertionError("the other hash finished before the refusal"));
            assertThat(running.get(), is(false));
        }
    }

    private static boolean verifyAfter(CyclicBarrier start, PasswordHasher hasher) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return hasher.verify("x", SLOW_HASH);
    }

    @Test
    void matchesAKnownArgon2idVector() {
        // From the reference implementation (Debian's argon2):
        //   echo -n password | argon2 somesalt -id -t 2 -m 10 -p 1 -e
        String reference = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$7FfsnA6vUe7qLpL/3Kqc3uR48ZJyFbUVt7jWZlf0Htk";
        assertThat(hasher.verify("password", reference), is(true));
    }
}
