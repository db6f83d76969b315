package dev.todoservice.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The key tokens are signed with. Its bytes never leave it but as a copy, and it never prints them.
 */
public final class SigningKey {

    // A key drawn at random has nearly as many distinct bytes as it is long; fewer than this is a pattern or a
    // placeholder ("changeme...", "aaaa...", a repeated word), whatever its length.
    private static final int MIN_DISTINCT_BYTES = 16;
    private static final int GENERATED_BYTES = 64;
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

    private final byte[] bytes;
    private final boolean generated;

    private SigningKey(byte[] bytes, boolean generated) {
        this.bytes = bytes;
        this.generated = generated;
    }

    /**
     * A configured key, checked for the algorithm.
     *
     * @param text     the key as configured ({@code SECRET_KEY})
     * @param minBytes the algorithm's key size (RFC 7518: as long as the hash)
     * @param algorithm the algorithm, for messages
     * @return the key
     * @throws IllegalArgumentException when the key is too short or does not look random
     */
    public static SigningKey configured(String text, int minBytes, String algorithm) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < minBytes) {
            throw new IllegalArgumentException("SECRET_KEY must be at least " + minBytes + " bytes for " + algorithm
                    + " (it has " + bytes.length + "); generate one with: openssl rand -hex 32");
        }
        checkRandom(text, bytes, minBytes, algorithm);
        return new SigningKey(bytes, false);
    }

    /**
     * A random key for a process that has none configured: its tokens die with it.
     *
     * @return the key
     */
    public static SigningKey generate() {
        byte[] random = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(random);
        return new SigningKey(random, true);
    }

    // A hex key carries 4 bits a character: it must encode the algorithm's key size, and its bytes, not its 16
    // possible digits, are what must be varied.
    private static void checkRandom(String text, byte[] bytes, int minBytes, String algorithm) {
        boolean hex = HEX.matcher(text).matches();
        byte[] material = hex ? HexFormat.of().parseHex(text) : bytes;
        if (hex && material.length < minBytes) {
            throw new IllegalArgumentException("SECRET_KEY is " + text.length() + " hex digits, " + material.length
                    + " bytes of key; " + algorithm + " needs " + minBytes * 2 + " hex digits (" + minBytes
                    + " random bytes), e.g. from: openssl rand -hex " + minBytes);
        }
        long distinct = IntStream.range(0, material.length).map(i -> material[i]).distinct().count();
        if (distinct < MIN_DISTINCT_BYTES) {
            throw new IllegalArgumentException("SECRET_KEY has only " + distinct + " distinct byte values (at least "
                    + MIN_DISTINCT_BYTES + " needed): it looks like a placeholder or a pattern, not a random"
                    + " key; generate one with: openssl rand -hex 32");
        }
    }

    /**
     * The key's bytes.
     *
     * @return a copy
     */
    public byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    /**
     * Whether the key was made up because none was configured.
     *
     * @return true for a generated key
     */
    public boolean generated() {
        return generated;
    }

    @Override
    public String toString() {
        return generated ? "SigningKey[generated]" : "SigningKey[configured]";
    }
}
