package dev.todoservice.auth;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.todoservice.failure.Failure;
import dev.todoservice.testing.Await;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PasswordHasherTest {

    /** A stored hash with many passes: verifying it keeps a hashing thread busy for about 4 s on a 2-core machine. */
    static final String SLOW_HASH =
            "$argon2id$v=19$m=19456,t=100,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
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
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            // The constructor's own hash may still hold the thread for an instant: start from an idle hasher.
            Await.until("the hasher idle", Duration.ofSeconds(10), () -> oneThread.inProgress() == 0);
            Future<Boolean> slow = callers.submit(() -> oneThread.verify("x", SLOW_HASH));
            Await.until("the slow hash running", Duration.ofSeconds(10), () -> oneThread.inProgress() == 1);
            Failure refused = assertThrows(Failure.class, () -> oneThread.verify("x", SLOW_HASH));
            assertThat(refused.kind(), is(Failure.Kind.UNAVAILABLE));
            assertThat(slow.get(), is(false));
        }
    }

    @Test
    void matchesAKnownArgon2idVector() {
        // From the reference implementation (Debian's argon2):
        //   echo -n password | argon2 somesalt -id -t 2 -m 10 -p 1 -e
        String reference = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$7FfsnA6vUe7qLpL/3Kqc3uR48ZJyFbUVt7jWZlf0Htk";
        assertThat(hasher.verify("password", reference), is(true));
    }
}
