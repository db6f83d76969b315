package dev.todoservice.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.logging.Logger;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Computes raw Argon2id hashes (version 1.3, no secret, no associated data): libargon2, the reference C implementation,
 * through JNA (argon2-jvm bundles it for Linux and macOS on x86-64 and aarch64), or BouncyCastle's pure Java where the
 * native library cannot load. Both give the same bytes, so every stored hash verifies with either.
 * <p>
 * Native hashing costs about a third of the pure-Java CPU per login and allocates its 19 MiB outside the Java heap, so
 * logins no longer bring on GC pauses (bench/results). JNA is used rather than the JDK's foreign-function API, which
 * is final only from JDK 22 while the service supports JDK 21.
 */
interface Argon2Engine {

    /**
     * Hashes a password.
     *
     * @param password    the password's bytes
     * @param salt        the salt
     * @param memoryKib   memory in KiB
     * @param iterations  passes
     * @param parallelism lanes
     * @param length      bytes of output
     * @return the hash
     */
    byte[] hash(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length);

    /**
     * The native engine, or the pure-Java one when libargon2 cannot be loaded or does not give the pure-Java bytes
     * (logged once per process).
     *
     * @return the engine to use
     */
    static Argon2Engine preferred() {
        return Preferred.ENGINE;
    }

    /**
     * The native engine from a loader, or the pure-Java one when it fails to load or to agree with it.
     *
     * @param loader makes the native engine; may throw {@link LinkageError} or a runtime exception
     * @param log    where the fallback is reported
     * @return the engine to use
     */
    static Argon2Engine nativeOrPureJava(Supplier<Argon2Engine> loader, Logger log) {
        Argon2Engine pureJava = pureJava();
        try {
            Argon2Engine engine = loader.get();
            byte[] password = "self-test".getBytes(StandardCharsets.UTF_8);
            byte[] salt = "self-test-salt!!".getBytes(StandardCharsets.UTF_8);
            if (Arrays.equals(engine.hash(password, salt, 64, 1, 1, 32), pureJava.hash(password, salt, 64, 1, 1, 32))) {
                return engine;
            }
            log.warning("Native Argon2 (libargon2) gives other hashes than the pure-Java one; hashing in pure Java");
        } catch (RuntimeException | LinkageError e) {
            log.warning("Native Argon2 (libargon2 through JNA) is not available (" + e
                    + "); hashing in pure Java, at about three times the CPU per login");
        }
        return pureJava;
    }

    /**
     * libargon2 through JNA; loading it may throw {@link LinkageError}.
     *
     * @return the native engine
     */
    static Argon2Engine libargon2() {
        Argon2Advanced argon2 = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
        return (password, salt, memoryKib, iterations, parallelism, length) -> argon2.rawHashAdvanced(
                iterations, memoryKib, parallelism, password, salt, null, null, length, Argon2Version.V13);
    }

    /**
     * BouncyCastle's pure-Java Argon2id.
     *
     * @return the pure-Java engine
     */
    static Argon2Engine pureJava() {
        return (password, salt, memoryKib, iterations, parallelism, length) -> {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                                   .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                                   .withMemoryAsKB(memoryKib)
                                   .withIterations(iterations)
                                   .withParallelism(parallelism)
                                   .withSalt(salt)
                                   .build());
            byte[] out = new byte[length];
            generator.generateBytes(password, out);
            return out;
        };
    }

    /** Chosen once per process, when the first hash is computed. */
    final class Preferred {
        private static final Argon2Engine ENGINE =
                nativeOrPureJava(Argon2Engine::libargon2, Logger.getLogger(PasswordHasher.class.getName()));

        private Preferred() {
        }
    }
}
