package dev.todoservice.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * The service's settings as environment variables (and a {@code .env} file), each with its default in the {@code app}
 * section of {@code application.yaml} ({@code DB_POOL_SIZE} is {@code app.db-pool-size}). Every module reads its own
 * settings through this and validates them; a bad value is an {@link IllegalArgumentException} whose one-line message
 * names the variable. Secrets may also come from systemd credentials in {@code $CREDENTIALS_DIRECTORY}.
 */
public final class Variables {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Map<String, String> env;
    private final Config defaults;

    private Variables(Map<String, String> env, Config defaults) {
        this.env = Map.copyOf(env);
        this.defaults = defaults;
    }

    /**
     * The variables of a process.
     *
     * @param env    environment variables merged with {@code .env}
     * @param config the application configuration, whose {@code app} section holds the defaults
     * @return the variables
     */
    public static Variables of(Map<String, String> env, Config config) {
        return new Variables(env, config.get("app"));
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

    /**
     * A variable's value, else its default; blank counts as unset.
     *
     * @param name the variable
     * @return the value, if any
     */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(env.get(name))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .or(() -> defaults.get(name.toLowerCase(Locale.ROOT).replace('_', '-')).asString().asOptional());
    }

    /**
     * A variable that must have a value (its own or its default).
     *
     * @param name the variable
     * @return the value
     */
    public String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
    }

    /**
     * A secret: the variable, else the systemd credential file of that name.
     *
     * @param name       the variable
     * @param credential the file name in {@code $CREDENTIALS_DIRECTORY}
     * @return the secret, if either has one
     */
    public Optional<String> secret(String name, String credential) {
        return optional(name).or(() -> Optional.ofNullable(env.get("CREDENTIALS_DIRECTORY"))
                .map(directory -> Path.of(directory).resolve(credential))
                .flatMap(Variables::readCredential));
    }

    /**
     * The deployment mode, {@code ENV}.
     *
     * @return the mode
     */
    public AppEnvironment environment() {
        return AppEnvironment.parse(required("ENV"));
    }

    /**
     * A whole number in a range.
     *
     * @param name the variable
     * @param min  smallest allowed
     * @param max  largest allowed
     * @return the number
     */
    public int integer(String name, int min, int max) {
        String value = required(name);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    /**
     * A duration with a unit ({@code 500ms}, {@code 2s}, {@code 90m}, {@code 12h}) in a range.
     *
     * @param name the variable
     * @param min  shortest allowed
     * @param max  longest allowed
     * @return the duration
     */
    public Duration duration(String name, Duration min, Duration max) {
        String value = required(name);
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
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

    /**
     * A yes or no that must have a value: {@code true}, {@code 1}, {@code yes} or {@code false}, {@code 0}, {@code no}.
     *
     * @param name the variable
     * @return the value
     */
    public boolean bool(String name) {
        return yesOrNo(name, required(name));
    }

    /**
     * A yes or no whose default depends on other settings.
     *
     * @param name the variable
     * @return the value, when the variable or the file sets one
     */
    public Optional<Boolean> optionalBool(String name) {
        return optional(name).map(value -> yesOrNo(name, value));
    }

    private static boolean yesOrNo(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
        };
    }

    private static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static Optional<String> readCredential(Path file) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read credential " + file, e);
        }
    }
}
