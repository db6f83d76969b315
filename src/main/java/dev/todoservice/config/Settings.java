package dev.todoservice.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.helidon.config.Config;

/**
 * Everything the service reads from its environment, validated once at start-up. Environment variables (and a
 * {@code .env} file) win over the {@code app} section of {@code application.yaml}; secrets may also come from systemd
 * credentials ({@code $CREDENTIALS_DIRECTORY/secret_key}, {@code database_password}).
 *
 * @param environment      deployment mode
 * @param port             public HTTP port
 * @param adminPort        port of health and metrics
 * @param adminHost        address the admin listener binds
 * @param database         where PostgreSQL is, without credentials
 * @param databaseUser     database user
 * @param databasePassword database password
 * @param dbPoolSize       maximum pool connections
 * @param dbWait           how long start-up waits for the database
 * @param migrateOnStart   whether start-up applies migrations
 * @param secretKey        JWT signing key
 * @param secretGenerated  whether the key was generated because none was configured (development, or the migrate
 *                         command)
 * @param algorithm        JWT algorithm: HS256, HS384 or HS512
 * @param tokenLifetime    access token lifetime
 * @param rootPath         the prefix a proxy strips, for the OpenAPI {@code servers} entry; empty when none
 * @param logLevel         root log level
 * @param jsonLogs         JSON lines when true, text otherwise
 * @param trustedProxies   peers whose forwarded headers are believed
 * @param headerTimeout    longest time from a request line to the end of its headers
 * @param bodyTimeout      longest time from the end of the headers to the end of the body
 * @param bodyBufferBytes  the most request body bytes held at once
 * @param shutdownDelay    how long the service keeps serving, not ready, after SIGTERM before it drains and stops
 * @param corsAllowedOrigins browser origins allowed to call the API ({@code scheme://host[:port]}), or just
 *                         {@code *} for any; empty when cross-origin calls are not allowed
 * @param limits           what one client or account may cost the service
 */
public record Settings(AppEnvironment environment,
                       int port,
                       int adminPort,
                       String adminHost,
                       DatabaseUrl database,
                       String databaseUser,
                       String databasePassword,
                       int dbPoolSize,
                       Duration dbWait,
                       boolean migrateOnStart,
                       byte[] secretKey,
                       boolean secretGenerated,
                       String algorithm,
                       Duration tokenLifetime,
                       String rootPath,
                       Level logLevel,
                       boolean jsonLogs,
                       TrustedProxies trustedProxies,
                       Duration headerTimeout,
                       Duration bodyTimeout,
                       int bodyBufferBytes,
                       Duration shutdownDelay,
                       List<String> corsAllowedOrigins,
                       Limits limits) {

    private static final int MIN_SECRET_BYTES = 32;
    // A key drawn at random has nearly as many distinct bytes as it is long; fewer than this is a pattern or a
    // placeholder ("changeme...", "aaaa...", a repeated word), whatever its length.
    private static final int MIN_DISTINCT_SECRET_BYTES = 16;
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    /**
     * The service's limits on what one client or account may cost it: each has its own setting, validated here and
     * documented in the README's security section.
     *
     * @param sessionMaxAge            how long after a login its tokens (refreshed or not) stay valid
     * @param throttleIpPerMinute      credential attempts (login, sign-up, account update) per client IP and minute
     * @param throttleAccountPerMinute credential attempts per account (email) and minute
     * @param throttleMaxEntries       most clients and accounts each throttle remembers
     * @param hashThreads              platform threads computing password hashes
     * @param hashQueue                hashes that may wait for a thread
     * @param hashMaxWait              how long a request waits for a hashing thread before 503
     * @param statementTimeout         longest a database statement may run
     * @param todoQuota                most todos one user may hold
     * @param usersListPublic          whether user reads need no token and show every email
     */
    public record Limits(Duration sessionMaxAge,
                         int throttleIpPerMinute,
                         int throttleAccountPerMinute,
                         int throttleMaxEntries,
                         int hashThreads,
                         int hashQueue,
                         Duration hashMaxWait,
                         Duration statementTimeout,
                         int todoQuota,
                         boolean usersListPublic) {
    }

    /**
     * Reads and validates settings.
     *
     * @param env  environment variables merged with {@code .env} (real variables winning)
     * @param yaml the application configuration, whose {@code app} section holds defaults
     * @return valid settings
     * @throws IllegalArgumentException with a one-line, operator-facing reason when something is wrong
     */
    public static Settings load(Map<String, String> env, Config yaml) {
        return load(env, yaml, true);
    }

    /**
     * Reads and validates settings, optionally without a signing key (the {@code migrate} command signs nothing).
     *
     * @param env           environment variables merged with {@code .env}
     * @param yaml          the application configuration
     * @param requireSecret whether production needs {@code SECRET_KEY}
     * @return valid settings; without a required secret, a random key stands in
     * @throws IllegalArgumentException with a one-line, operator-facing reason when something is wrong
     */
    public static Settings load(Map<String, String> env, Config yaml, boolean requireSecret) {
        Config defaults = yaml.get("app");
        Function<String, Optional<String>> value = name -> Optional.ofNullable(env.get(name))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .or(() -> defaults.get(name.toLowerCase(Locale.ROOT).replace('_', '-')).asString().asOptional());
        Function<String, String> required = name -> value.apply(name)
                .orElseThrow(() -> new IllegalArgumentException(name + " is required"));
        Optional<Path> credentials = Optional.ofNullable(env.get("CREDENTIALS_DIRECTORY")).map(Path::of);

        AppEnvironment environment = AppEnvironment.parse(required.apply("ENV"));
        DatabaseUrl database = DatabaseUrl.parse(required.apply("DATABASE_URL"));
        String algorithm = required.apply("ALGORITHM").toUpperCase(Locale.ROOT);
        int minSecretBytes = switch (algorithm) {
            case "HS256" -> MIN_SECRET_BYTES;
            case "HS384" -> 48;
            case "HS512" -> 64;
            default -> throw new IllegalArgumentException("ALGORITHM must be HS256, HS384 or HS512, not " + algorithm);
        };
        Optional<byte[]> configuredSecret = value.apply("SECRET_KEY")
                .or(() -> credentials.flatMap(dir -> readCredential(dir, "secret_key")))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        boolean generated = configuredSecret.isEmpty() && (environment != AppEnvironment.PRODUCTION || !requireSecret);
        byte[] secret = configuredSecret.orElseGet(() -> {
            if (!generated) {
                throw new IllegalArgumentException("SECRET_KEY is required in production (at least "
                        + MIN_SECRET_BYTES + " bytes, e.g. from: openssl rand -hex 32)");
            }
            byte[] random = new byte[64];
            new SecureRandom().nextBytes(random);
            return random;
        });
        if (secret.length < minSecretBytes) {
            throw new IllegalArgumentException("SECRET_KEY must be at least " + minSecretBytes + " bytes for "
                    + algorithm + " (it has " + secret.length + "); generate one with: openssl rand -hex 32");
        }
        if (!generated) {
            checkSecretIsRandom(secret, minSecretBytes, algorithm);
        }
        String logFormat = value.apply("LOG_FORMAT")
                .orElse(environment == AppEnvironment.DEVELOPMENT ? "text" : "json")
                .toLowerCase(Locale.ROOT);
        if (!logFormat.equals("json") && !logFormat.equals("text")) {
            throw new IllegalArgumentException("LOG_FORMAT must be json or text, not " + logFormat);
        }
        return new Settings(environment,
                            port(required.apply("PORT"), "PORT"),
                            port(required.apply("ADMIN_PORT"), "ADMIN_PORT"),
                            required.apply("ADMIN_HOST"),
                            database,
                            value.apply("DATABASE_USER").or(database::user).orElse("postgres"),
                            value.apply("DATABASE_PASSWORD")
                                    .or(() -> credentials.flatMap(dir -> readCredential(dir, "database_password")))
                                    .or(database::password)
                                    .orElse(""),
                            integer(required.apply("DB_POOL_SIZE"), "DB_POOL_SIZE", 1, 1000),
                            seconds(required.apply("DB_WAIT_SECONDS"), "DB_WAIT_SECONDS", 0, 86_400),
                            bool(required.apply("MIGRATE_ON_START"), "MIGRATE_ON_START"),
                            secret,
                            generated,
                            algorithm,
                            Duration.ofMinutes(integer(required.apply("ACCESS_TOKEN_EXPIRE_MINUTES"),
                                                       "ACCESS_TOKEN_EXPIRE_MINUTES", 1, 525_600)),
                            rootPath(value.apply("ROOT_PATH").orElse("")),
                            logLevel(required.apply("LOG_LEVEL")),
                            logFormat.equals("json"),
                            trustedProxies(required.apply("TRUSTED_PROXIES")),
                            seconds(required.apply("REQUEST_HEADER_TIMEOUT_SECONDS"),
                                    "REQUEST_HEADER_TIMEOUT_SECONDS", 1, 600),
                            seconds(required.apply("REQUEST_BODY_TIMEOUT_SECONDS"),
                                    "REQUEST_BODY_TIMEOUT_SECONDS", 1, 3600),
                            integer(required.apply("REQUEST_BODY_BUFFER_MB"), "REQUEST_BODY_BUFFER_MB", 1, 1024) << 20,
                            seconds(required.apply("SHUTDOWN_DELAY_SECONDS"), "SHUTDOWN_DELAY_SECONDS", 0, 60),
                            corsOrigins(value.apply("CORS_ALLOWED_ORIGINS").orElse("")),
                            new Limits(duration(required.apply("SESSION_MAX_AGE"), "SESSION_MAX_AGE",
                                                Duration.ofMinutes(1), Duration.ofDays(366)),
                                       integer(required.apply("THROTTLE_IP_PER_MINUTE"), "THROTTLE_IP_PER_MINUTE",
                                               1, 1_000_000),
                                       integer(required.apply("THROTTLE_ACCOUNT_PER_MINUTE"),
                                               "THROTTLE_ACCOUNT_PER_MINUTE", 1, 1_000_000),
                                       integer(required.apply("THROTTLE_MAX_ENTRIES"), "THROTTLE_MAX_ENTRIES",
                                               100, 10_000_000),
                                       hashThreads(required.apply("PASSWORD_HASH_THREADS")),
                                       integer(required.apply("PASSWORD_HASH_QUEUE"), "PASSWORD_HASH_QUEUE", 0, 10_000),
                                       duration(required.apply("PASSWORD_HASH_MAX_WAIT"), "PASSWORD_HASH_MAX_WAIT",
                                                Duration.ofMillis(1), Duration.ofMinutes(1)),
                                       duration(required.apply("DB_STATEMENT_TIMEOUT"), "DB_STATEMENT_TIMEOUT",
                                                Duration.ofMillis(100), Duration.ofHours(1)),
                                       integer(required.apply("TODO_QUOTA"), "TODO_QUOTA", 1, 100_000_000),
                                       bool(value.apply("USERS_LIST_PUBLIC")
                                                    .orElse(Boolean.toString(environment != AppEnvironment.PRODUCTION)),
                                            "USERS_LIST_PUBLIC")));
    }

    /**
     * The process environment overlaid on a {@code .env} file: real variables win.
     *
     * @param dotEnv the {@code .env} file; it may be missing
     * @return merged variables
     */
    public static Map<String, String> environment(Path dotEnv) {
        Map<String, String> merged = new HashMap<>(DotEnv.read(dotEnv));
        merged.putAll(System.getenv());
        return merged;
    }

    private static Optional<String> readCredential(Path directory, String name) {
        Path file = directory.resolve(name);
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read credential " + file, e);
        }
    }

    // A hex key carries 4 bits a character: it must encode the algorithm's key size (RFC 7518: a key as long as the
    // hash), and its bytes, not its 16 possible digits, are what must be varied.
    private static void checkSecretIsRandom(byte[] secret, int minBytes, String algorithm) {
        String text = new String(secret, StandardCharsets.UTF_8);
        boolean hex = HEX.matcher(text).matches();
        byte[] material = hex ? HexFormat.of().parseHex(text) : secret;
        if (hex && material.length < minBytes) {
            throw new IllegalArgumentException("SECRET_KEY is " + text.length() + " hex digits, " + material.length
                    + " bytes of key; " + algorithm + " needs " + minBytes * 2 + " hex digits (" + minBytes
                    + " random bytes), e.g. from: openssl rand -hex " + minBytes);
        }
        long distinct = IntStream.range(0, material.length).map(i -> material[i]).distinct().count();
        if (distinct < MIN_DISTINCT_SECRET_BYTES) {
            throw new IllegalArgumentException("SECRET_KEY has only " + distinct + " distinct byte values (at least "
                    + MIN_DISTINCT_SECRET_BYTES + " needed): it looks like a placeholder or a pattern, not a random"
                    + " key; generate one with: openssl rand -hex 32");
        }
    }

    private static int hashThreads(String value) {
        int threads = integer(value, "PASSWORD_HASH_THREADS", 0, 256);
        // 0: every core but one, so hashing never takes all of them from the request threads.
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    private static Duration duration(String value, String name, Duration min, Duration max) {
        Matcher matcher = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(name + " must be a duration with a unit (ms, s, m or h), e.g. 2s, 500ms"
                    + " or 12h, not '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration parsed = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + text(min) + " and " + text(max) + ", not "
                    + value);
        }
        return parsed;
    }

    private static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static Duration seconds(String value, String name, int min, int max) {
        return Duration.ofSeconds(integer(value, name, min, max));
    }

    private static int port(String value, String name) {
        return integer(value, name, 0, 65_535);
    }

    private static int integer(String value, String name, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static boolean bool(String value, String name) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
        };
    }

    private static String rootPath(String value) {
        String path = value.strip();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("ROOT_PATH must start with '/', e.g. /api, not '" + value + "'");
        }
        return path;
    }

    // An empty value means "use the default", so trusting nobody is spelled "none".
    private static TrustedProxies trustedProxies(String value) {
        return TrustedProxies.parse(value.equalsIgnoreCase("none") ? "" : value);
    }

    // Browsers send an Origin as scheme://host[:port], lower case, without the scheme's default port: configured
    // values are brought into that form so that they compare equal.
    private static List<String> corsOrigins(String value) {
        List<String> origins = new ArrayList<>();
        for (String entry : value.split(",")) {
            String origin = entry.strip();
            if (!origin.isEmpty()) {
                origins.add(origin.equals("*") ? origin : origin(origin));
            }
        }
        if (origins.contains("*") && origins.size() > 1) {
            throw new IllegalArgumentException("CORS_ALLOWED_ORIGINS is either * alone or a list of origins, not both");
        }
        return List.copyOf(origins);
    }

    private static String origin(String value) {
        String problem = "CORS_ALLOWED_ORIGINS entries must look like https://app.example.com or http://localhost:5173,"
                + " not '" + value + "'";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = uri.getRawPath() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
            throw new IllegalArgumentException(problem);
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (port == -1 || port == defaultPort ? "" : ":" + port);
    }

    private static Level logLevel(String value) {
        return switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "TRACE", "FINEST" -> Level.FINEST;
            case "DEBUG", "FINE" -> Level.FINE;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARNING;
            case "ERROR", "SEVERE", "CRITICAL" -> Level.SEVERE;
            default -> throw new IllegalArgumentException(
                    "LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARNING, ERROR, not '" + value + "'");
        };
    }

    @Override
    public String toString() {
        // Never print the key or the password.
        return "Settings[environment=" + environment + ", port=" + port + ", adminPort=" + adminPort
                + ", adminHost=" + adminHost
                + ", database=" + database.host() + "/" + database.database() + "]";
    }
}
