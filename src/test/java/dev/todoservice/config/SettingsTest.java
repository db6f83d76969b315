package dev.todoservice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import dev.todoservice.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {

    private static final String SECRET = "Vq7-yT2mKp9xRw4nLc8bZf3hJd6gSa1e";

    private static Settings load(Map<String, String> env) {
        return Settings.load(env, TestDatabase.config());
    }

    private static Map<String, String> production(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", "postgresql://db:5432/todo",
                                                       "SECRET_KEY", SECRET));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    private static String failure(Map<String, String> env) {
        return assertThrows(IllegalArgumentException.class, () -> load(env)).getMessage();
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        Settings settings = load(production());
        assertThat(settings.environment(), is(AppEnvironment.PRODUCTION));
        assertThat(settings.port(), is(8080));
        assertThat(settings.adminPort(), is(8081));
        assertThat(settings.algorithm(), is("HS256"));
        assertThat(settings.tokenLifetime(), is(Duration.ofMinutes(30)));
        assertThat(settings.dbWait(), is(Duration.ofSeconds(60)));
        assertThat(settings.migrateOnStart(), is(true));
        assertThat(settings.jsonLogs(), is(true));
        assertThat(settings.logLevel(), is(Level.INFO));
        assertThat(settings.rootPath(), is(""));
    }

    @Test
    void environmentVariablesOverrideDefaults() {
        Settings settings = load(production("PORT", "9090", "ADMIN_PORT", "9091", "ACCESS_TOKEN_EXPIRE_MINUTES", "5",
                                            "DB_POOL_SIZE", "3", "LOG_LEVEL", "debug", "MIGRATE_ON_START", "false"));
        assertThat(settings.port(), is(9090));
        assertThat(settings.adminPort(), is(9091));
        assertThat(settings.tokenLifetime(), is(Duration.ofMinutes(5)));
        assertThat(settings.dbPoolSize(), is(3));
        assertThat(settings.logLevel(), is(Level.FINE));
        assertThat(settings.migrateOnStart(), is(false));
    }

    @Test
    void productionRequiresASecretKey() {
        Map<String, String> env = production();
        env.remove("SECRET_KEY");
        assertThat(failure(env), containsString("SECRET_KEY is required in production"));
    }

    private static byte[] random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return random;
    }

    @Test
    void shortSecretKeyIsRefused() {
        assertThat(failure(production("SECRET_KEY", "too-short")), containsString("at least 32 bytes"));
    }

    @Test
    void strongerAlgorithmsNeedLongerKeys() {
        assertThat(failure(production("ALGORITHM", "HS512")), containsString("at least 64 bytes for HS512"));
        assertThat(load(production("ALGORITHM", "hs384", "SECRET_KEY", SECRET + SECRET)).algorithm(), is("HS384"));
    }

    @Test
    void unknownAlgorithmIsRefused() {
        assertThat(failure(production("ALGORITHM", "RS256")),
                   containsString("ALGORITHM must be HS256, HS384 or HS512"));
    }

    @Test
    void developmentGeneratesAKeyAndUsesTextLogs() {
        Map<String, String> env = production("ENV", "development");
        env.remove("SECRET_KEY");
        Settings settings = load(env);
        assertThat(settings.secretGenerated(), is(true));
        assertThat(settings.secretKey().length >= 32, is(true));
        assertThat(settings.jsonLogs(), is(false));
    }

    @Test
    void unknownEnvironmentIsRefused() {
        assertThat(failure(production("ENV", "staging")),
                   containsString("ENV must be production, development or testing"));
    }

    @Test
    void logFormatCanBeChosen() {
        assertThat(load(production("LOG_FORMAT", "text")).jsonLogs(), is(false));
        assertThat(failure(production("LOG_FORMAT", "xml")), containsString("LOG_FORMAT must be json or text"));
    }

    @ParameterizedTest
    @CsvSource({"PORT, 70000", "PORT, http", "DB_POOL_SIZE, 0", "MIGRATE_ON_START, maybe", "LOG_LEVEL, LOUD",
            "ROOT_PATH, api", "TRUSTED_PROXIES, not-an-ip"})
    void invalidValueIsRefusedNamingTheVariable(String name, String value) {
        assertThat(failure(production(name, value)), containsString(name));
    }

    @Test
    void trustedProxiesDefaultToLoopbackOnlyAndCanBeNone() {
        Settings defaults = load(production());
        assertThat(defaults.trustedProxies().trusts("127.0.0.1"), is(true));
        assertThat(defaults.trustedProxies().trusts("::1"), is(true));
        assertThat(defaults.trustedProxies().trusts("10.1.2.3"), is(false));
        assertThat(defaults.trustedProxies().trusts("192.168.1.1"), is(false));
        assertThat(load(production("TRUSTED_PROXIES", "none")).trustedProxies().trusts("127.0.0.1"), is(false));
        assertThat(load(production("TRUSTED_PROXIES", "10.89.0.0/24")).trustedProxies().trusts("10.89.0.7"), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"changemechangemechangemechangeme", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "secretsecretsecretsecretsecretsecret", "password1password1password1password1"})
    void secretKeyWithFewerThan16DistinctBytesIsRefused(String key) {
        assertThat(failure(production("SECRET_KEY", key)), containsString("distinct byte values"));
    }

    @Test
    void hexSecretKeyIsJudgedByTheBytesItEncodes() {
        // 64 hex digits, but the 32 bytes they encode repeat 01 23 45 67 89 ab cd ef.
        assertThat(failure(production("SECRET_KEY", "0123456789abcdef".repeat(4))), containsString("distinct byte"));
        // 128 bits written as 32 hex digits are not the 256 HS256 needs.
        assertThat(failure(production("SECRET_KEY", HexFormat.of().formatHex(random(16)))),
                   containsString("needs 64 hex digits"));
    }

    @Test
    void everyKeyFromTheDocumentedGeneratorIsAccepted() {
        // openssl rand -hex 32: only 16 distinct characters, so the encoded bytes are what count.
        for (int i = 0; i < 1000; i++) {
            String key = HexFormat.of().formatHex(random(32));
            assertThat(load(production("SECRET_KEY", key)).secretKey(), is(key.getBytes(StandardCharsets.UTF_8)));
        }
        String base64 = Base64.getEncoder().encodeToString(random(32));
        assertThat(load(production("SECRET_KEY", base64)).algorithm(), is("HS256"));
    }

    @Test
    void limitsHaveProductionDefaults() {
        Settings.Limits limits = load(production()).limits();
        assertThat(limits.sessionMaxAge(), is(Duration.ofHours(12)));
        assertThat(limits.throttleIpPerMinute(), is(30));
        assertThat(limits.throttleAccountPerMinute(), is(10));
        assertThat(limits.throttleMaxEntries(), is(100_000));
        assertThat(limits.hashThreads(), is(Math.max(1, Runtime.getRuntime().availableProcessors() - 1)));
        assertThat(limits.hashQueue(), is(16));
        assertThat(limits.hashMaxWait(), is(Duration.ofSeconds(2)));
        assertThat(limits.statementTimeout(), is(Duration.ofSeconds(2)));
        assertThat(limits.todoQuota(), is(10_000));
        assertThat(limits.usersListPublic(), is(false));
    }

    @Test
    void limitsCanBeChosen() {
        Settings.Limits limits = load(production("SESSION_MAX_AGE", "90m", "DB_STATEMENT_TIMEOUT", "750ms",
                                                 "PASSWORD_HASH_THREADS", "3", "PASSWORD_HASH_MAX_WAIT", "5s",
                                                 "TODO_QUOTA", "50", "USERS_LIST_PUBLIC", "true")).limits();
        assertThat(limits.sessionMaxAge(), is(Duration.ofMinutes(90)));
        assertThat(limits.statementTimeout(), is(Duration.ofMillis(750)));
        assertThat(limits.hashThreads(), is(3));
        assertThat(limits.hashMaxWait(), is(Duration.ofSeconds(5)));
        assertThat(limits.todoQuota(), is(50));
        assertThat(limits.usersListPublic(), is(true));
    }

    @Test
    void userReadsArePublicByDefaultOutsideProduction() {
        assertThat(load(production("ENV", "development")).limits().usersListPublic(), is(true));
        assertThat(load(production("ENV", "testing")).limits().usersListPublic(), is(true));
    }

    @ParameterizedTest
    @CsvSource({"SESSION_MAX_AGE, 12", "SESSION_MAX_AGE, 30s", "DB_STATEMENT_TIMEOUT, 2 seconds",
            "DB_STATEMENT_TIMEOUT, 10ms", "PASSWORD_HASH_MAX_WAIT, 0ms", "THROTTLE_IP_PER_MINUTE, 0",
            "THROTTLE_MAX_ENTRIES, 10", "PASSWORD_HASH_QUEUE, -1", "TODO_QUOTA, 0", "USERS_LIST_PUBLIC, sometimes"})
    void invalidLimitIsRefusedNamingTheVariable(String name, String value) {
        assertThat(failure(production(name, value)), containsString(name));
    }

    @Test
    void missingDatabaseUrlIsRefused() {
        Map<String, String> env = production();
        env.remove("DATABASE_URL");
        assertThat(failure(env), containsString("DATABASE_URL is required"));
    }

    @Test
    void rootPathLosesItsTrailingSlash() {
        assertThat(load(production("ROOT_PATH", "/api/")).rootPath(), is("/api"));
    }

    @Test
    void credentialsComeFromTheUrlUnlessGivenSeparately() {
        Settings fromUrl = load(production("DATABASE_URL", "postgresql+psycopg://app:s%40cret@db:5432/todo"));
        assertThat(fromUrl.databaseUser(), is("app"));
        assertThat(fromUrl.databasePassword(), is("s@cret"));
        Settings separate = load(production("DATABASE_URL", "postgresql://app:s%40cret@db:5432/todo",
                                            "DATABASE_USER", "other", "DATABASE_PASSWORD", "pw"));
        assertThat(separate.databaseUser(), is("other"));
        assertThat(separate.databasePassword(), is("pw"));
    }

    @Test
    void secretsCanComeFromSystemdCredentials(@TempDir Path credentials) throws IOException {
        Files.writeString(credentials.resolve("secret_key"), SECRET + "\n");
        Files.writeString(credentials.resolve("database_password"), "from-credential\n");
        Map<String, String> env = production("CREDENTIALS_DIRECTORY", credentials.toString());
        env.remove("SECRET_KEY");
        Settings settings = load(env);
        assertThat(new String(settings.secretKey()), is(SECRET));
        assertThat(settings.databasePassword(), is("from-credential"));
    }

    @Test
    void corsAllowsNoOriginByDefault() {
        assertThat(load(production()).corsAllowedOrigins(), is(List.of()));
    }

    @Test
    void corsOriginsAreBroughtIntoTheFormBrowsersSend() {
        Settings settings = load(production("CORS_ALLOWED_ORIGINS",
                                            " HTTPS://App.Example.com:443 ,http://localhost:5173,http://[::1]:80,"));
        assertThat(settings.corsAllowedOrigins(),
                   is(List.of("https://app.example.com", "http://localhost:5173", "http://[::1]")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://app.example.com/          | must look like https://app.example.com",
            "https://app.example.com/path      | must look like https://app.example.com",
            "app.example.com                   | must look like https://app.example.com",
            "ftp://app.example.com             | must look like https://app.example.com",
            "https://user@app.example.com      | must look like https://app.example.com",
            "https://*.example.com             | must look like https://app.example.com",
            "'*,https://app.example.com'       | either * alone or a list of origins"})
    void corsOriginsThatNoBrowserSendsAreRejected(String value, String message) {
        assertThat(failure(production("CORS_ALLOWED_ORIGINS", value)), containsString(message));
    }

    @Test
    void toStringRevealsNoSecrets() {
        Settings settings = load(production("DATABASE_URL", "postgresql://app:hunter2@db/todo"));
        assertThat(settings.toString().contains("hunter2"), is(false));
        assertThat(settings.toString().contains(SECRET), is(false));
    }

    @Test
    void dotEnvIsReadAndRealEnvironmentWins(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, """
                # comment
                export SECRET_KEY="from-dotenv"
                DOTENV_ONLY='quoted value'
                PATH=/not/the/real/path
                EMPTY=
                """);
        Map<String, String> env = Settings.environment(file);
        assertThat(env.get("SECRET_KEY"), is(System.getenv().getOrDefault("SECRET_KEY", "from-dotenv")));
        assertThat(env.get("DOTENV_ONLY"), is("quoted value"));
        assertThat(env.get("PATH"), is(System.getenv("PATH")));
        assertThat(env.get("EMPTY"), is(""));
    }

    @Test
    void missingDotEnvIsFine(@TempDir Path dir) {
        assertThat(Settings.environment(dir.resolve(".env")).get("PATH"), is(System.getenv("PATH")));
    }
}
