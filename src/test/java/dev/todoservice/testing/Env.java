package dev.todoservice.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import dev.todoservice.config.AppConfig;
import dev.todoservice.config.Variables;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Environments for the settings' unit tests: production's defaults, the two variables it requires, and changes. */
public final class Env {

    /** A key that passes every check, as {@code openssl rand} would not make but an operator might. */
    public static final String SECRET = "Vq7-yT2mKp9xRw4nLc8bZf3hJd6gSa1e";

    private Env() {
    }

    /**
     * A production environment: {@code DATABASE_URL} and {@code SECRET_KEY} set, everything else from
     * {@code application.yaml}, then the given changes; a null value removes the variable.
     *
     * @param keyValues variable names and values, alternating
     * @return the environment
     */
    public static Map<String, String> production(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", "postgresql://db:5432/todo",
                                                       "SECRET_KEY", SECRET));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                env.remove(keyValues[i]);
            } else {
                env.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return env;
    }

    /**
     * The variables of an environment, with the defaults of {@code application.yaml}.
     *
     * @param env the environment
     * @return the variables
     */
    public static Variables variables(Map<String, String> env) {
        return Variables.of(env, AppConfig.load(env));
    }

    /**
     * The one-line message a module gives for a bad environment, failing when it accepts it.
     *
     * @param reading the module's settings reader, e.g. {@code DatabaseSettings::from}
     * @param env     the environment
     * @return the message
     */
    public static String failure(Function<Variables, ?> reading, Map<String, String> env) {
        return assertThrows(IllegalArgumentException.class, () -> reading.apply(variables(env))).getMessage();
    }
}
