package dev.todoservice.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.todoservice.testing.Env.SECRET;
import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class TokenSettingsTest {

    private static TokenSettings load(String... keyValues) {
        return TokenSettings.from(variables(production(keyValues)));
    }

    private static String refusal(String... keyValues) {
        return failure(TokenSettings::from, production(keyValues));
    }

    private static byte[] random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return random;
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        TokenSettings settings = load();
        assertThat(settings.algorithm(), is("HS256"));
        assertThat(settings.lifetime(), is(Duration.ofMinutes(30)));
        assertThat(settings.sessionMaxAge(), is(Duration.ofHours(12)));
        assertThat(settings.key().generated(), is(false));
    }

    @Test
    void environmentVariablesOverrideDefaults() {
        TokenSettings settings = load("ACCESS_TOKEN_EXPIRE_MINUTES", "5", "SESSION_MAX_AGE", "90m");
        assertThat(settings.lifetime(), is(Duration.ofMinutes(5)));
        assertThat(settings.sessionMaxAge(), is(Duration.ofMinutes(90)));
    }

    @Test
    void productionRequiresASecretKey() {
        assertThat(refusal("SECRET_KEY", null), containsString("SECRET_KEY is required in production"));
    }

    @Test
    void developmentAndTestingGenerateAKey() {
        for (String environment : new String[] {"development", "testing"}) {
            SigningKey key = load("ENV", environment, "SECRET_KEY", null).key();
            assertThat(key.generated(), is(true));
            assertThat(key.bytes().length, greaterThanOrEqualTo(32));
        }
    }

    @Test
    void shortSecretKeyIsRefused() {
        assertThat(refusal("SECRET_KEY", "too-short"), containsString("at least 32 bytes"));
    }

    @Test
    void strongerAlgorithmsNeedLongerKeys() {
        assertThat(refusal("ALGORITHM", "HS512"), containsString("at least 64 bytes for HS512"));
        assertThat(load("ALGORITHM", "hs384", "SECRET_KEY", SECRET + SECRET).algorithm(), is("HS384"));
    }

    @Test
    void unknownAlgorithmIsRefused() {
        assertThat(refusal("ALGORITHM", "RS256"), containsString("ALGORITHM must be HS256, HS384 or HS512"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"changemechangemechangemechangeme", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "secretsecretsecretsecretsecretsecret", "password1password1password1password1"})
    void secretKeyWithFewerThan16DistinctBytesIsRefused(String key) {
        assertThat(refusal("SECRET_KEY", key), containsString("distinct byte values"));
    }

    @Test
    void hexSecretKeyIsJudgedByTheBytesItEncodes() {
        // 64 hex digits, but the 32 bytes they encode repeat 01 23 45 67 89 ab cd ef.
        assertThat(refusal("SECRET_KEY", "0123456789abcdef".repeat(4)), containsString("distinct byte"));
        // 128 bits written as 32 hex digits are not the 256 HS256 needs.
        assertThat(refusal("SECRET_KEY", HexFormat.of().formatHex(random(16))), containsString("needs 64 hex digits"));
    }

    @Test
    void everyKeyFromTheDocumentedGeneratorIsAccepted() {
        // openssl rand -hex 32: only 16 distinct characters, so the encoded bytes are what count.
        for (int i = 0; i < 1000; i++) {
            String key = HexFormat.of().formatHex(random(32));
            assertThat(load("SECRET_KEY", key).key().bytes(), is(key.getBytes(StandardCharsets.UTF_8)));
        }
        String base64 = Base64.getEncoder().encodeToString(random(32));
        assertThat(load("SECRET_KEY", base64).algorithm(), is("HS256"));
    }

    @Test
    void theKeyMayComeFromASystemdCredential(@TempDir Path credentials) throws IOException {
        Files.writeString(credentials.resolve("secret_key"), SECRET + "\n");
        SigningKey key = load("SECRET_KEY", null, "CREDENTIALS_DIRECTORY", credentials.toString()).key();
        assertThat(new String(key.bytes(), StandardCharsets.UTF_8), is(SECRET));
    }

    @ParameterizedTest
    @CsvSource({"SESSION_MAX_AGE, 12", "SESSION_MAX_AGE, 30s", "ACCESS_TOKEN_EXPIRE_MINUTES, 0",
            "ACCESS_TOKEN_EXPIRE_MINUTES, 30m"})
    void invalidValueIsRefusedNamingTheVariable(String name, String value) {
        assertThat(refusal(name, value), containsString(name));
    }

    @Test
    void toStringRevealsNoKey() {
        TokenSettings settings = load();
        assertThat(settings.toString(), not(containsString(SECRET)));
        assertThat(settings.key().toString(), is("SigningKey[configured]"));
    }

    @Test
    void theKeysBytesCannotBeChangedFromOutside() {
        SigningKey key = load().key();
        key.bytes()[0] = 0;
        assertThat(key.bytes(), is(SECRET.getBytes(StandardCharsets.UTF_8)));
    }
}
