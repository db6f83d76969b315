package dev.todoservice.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.logging.Logger;

import dev.todoservice.logging.JsonFormatter;
import dev.todoservice.testing.LogCapture;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** libargon2 and the pure-Java fallback give the reference bytes: a hash stored by either verifies with the other. */
class Argon2EngineTest {

    // From the reference implementation (Debian's argon2): echo -n password | argon2 somesalt -id -t 2 -m 10 -p 1 -r
    private static final String REFERENCE = "ec57ec9c0eaf51eeea2e92ffdcaa9cdee478f1927215b515b7b8d66657f41ed9";
    private static final Logger LOG = Logger.getLogger(Argon2EngineTest.class.getName());

    @Test
    void libargon2GivesTheReferenceBytes() {
        assertThat(hex(Argon2Engine.libargon2()), is(REFERENCE));
    }

    @Test
    void thePureJavaFallbackGivesTheReferenceBytes() {
        assertThat(hex(Argon2Engine.pureJava()), is(REFERENCE));
    }

    @Test
    void theServiceHashesNativelyOnThisPlatform() {
        // x86-64 and aarch64 Linux, where the service ships: argon2-jvm bundles libargon2 for both.
        try (LogCapture capture = LogCapture.start(LOG, new JsonFormatter())) {
            Argon2Engine engine = Argon2Engine.nativeOrPureJava(Argon2Engine::libargon2, LOG);
            assertThat(hex(engine), is(REFERENCE));
            assertThat(capture.lines(), hasSize(0));
        }
    }

    @Test
    void withoutTheNativeLibraryHashingFallsBackToPureJavaAndSaysSo() {
        try (LogCapture capture = LogCapture.start(LOG, new JsonFormatter())) {
            Argon2Engine engine = Argon2Engine.nativeOrPureJava(() -> {
                throw new UnsatisfiedLinkError("Unable to load library 'argon2'");
            }, LOG);
            assertThat(hex(engine), is(REFERENCE));
            assertThat(capture.lines(), hasSize(1));
            assertThat(capture.lines().getFirst(), containsString("hashing in pure Java"));
            assertThat(capture.lines().getFirst(), containsString("Unable to load library 'argon2'"));
        }
    }

    @Test
    void aNativeLibraryThatDisagreesIsNotUsed() {
        try (LogCapture capture = LogCapture.start(LOG, new JsonFormatter())) {
            Argon2Engine wrong = (password, salt, memory, iterations, parallelism, length) -> new byte[length];
            Argon2Engine engine = Argon2Engine.nativeOrPureJava(() -> wrong, LOG);
            assertThat(hex(engine), is(REFERENCE));
            assertThat(capture.lines(), contains(containsString("other hashes")));
        }
    }

    @Test
    void aHashStoredByOneEngineVerifiesWithTheOther() {
        HashingSettings settings = new HashingSettings(1, 4, Duration.ofSeconds(30));
        PasswordHasher pureJava = new PasswordHasher(settings, Argon2Engine.pureJava());
        PasswordHasher libargon2 = new PasswordHasher(settings, Argon2Engine.libargon2());
        assertThat(libargon2.verify("correct horse", pureJava.hash("correct horse")), is(true));
        assertThat(pureJava.verify("correct horse", libargon2.hash("correct horse")), is(true));
        assertThat(pureJava.verify("wrong horse", libargon2.hash("correct horse")), is(false));
    }

    private static String hex(Argon2Engine engine) {
        byte[] hash = engine.hash("password".getBytes(StandardCharsets.UTF_8),
                                  "somesalt".getBytes(StandardCharsets.UTF_8), 1024, 2, 1, 32);
        return HexFormat.of().formatHex(hash);
    }
}
