package dev.todoservice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class VariablesTest {

    @Test
    void aVariableWinsOverItsDefaultInApplicationYaml() {
        assertThat(variables(production()).required("DB_POOL_SIZE"), is("10"));
        assertThat(variables(production("DB_POOL_SIZE", " 3 ")).required("DB_POOL_SIZE"), is("3"));
        assertThat(variables(production("DB_POOL_SIZE", "")).required("DB_POOL_SIZE"), is("10"));
    }

    @Test
    void aMissingRequiredVariableIsNamed() {
        assertThat(failure(v -> v.required("NOT_A_SETTING"), production()), is("NOT_A_SETTING is required"));
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "2s, PT2S", "90m, PT1H30M", "12h, PT12H", "2S, PT2S"})
    void durationsTakeAUnit(String value, Duration expected) {
        assertThat(variables(production("X", value)).duration("X", Duration.ZERO, Duration.ofDays(1)), is(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "2 seconds", "1d", "-1s", "s"})
    void aDurationWithoutAKnownUnitIsRefused(String value) {
        assertThat(failure(v -> v.duration("X", Duration.ZERO, Duration.ofDays(1)), production("X", value)),
                   containsString("X must be a duration with a unit (ms, s, m or h)"));
    }

    @Test
    void aDurationOutOfItsRangeIsRefusedWithTheRange() {
        assertThat(failure(v -> v.duration("X", Duration.ofMillis(100), Duration.ofHours(1)), production("X", "10ms")),
                   is("X must be between 100ms and 1h, not 10ms"));
    }

    @Test
    void numbersAreWholeAndInRange() {
        assertThat(failure(v -> v.integer("X", 1, 5), production("X", "6")), is("X must be between 1 and 5, not 6"));
        assertThat(failure(v -> v.integer("X", 1, 5), production("X", "2.5")),
                   is("X must be a whole number, not '2.5'"));
    }

    @ParameterizedTest
    @CsvSource({"true, true", "YES, true", "1, true", "false, false", "no, false", "0, false"})
    void yesOrNo(String value, boolean expected) {
        assertThat(variables(production("X", value)).bool("X"), is(expected));
        assertThat(variables(production("X", value)).optionalBool("X"), is(Optional.of(expected)));
    }

    @Test
    void somethingElseIsNeitherYesNorNo() {
        assertThat(failure(v -> v.bool("X"), production("X", "maybe")), is("X must be true or false, not 'maybe'"));
        assertThat(variables(production()).optionalBool("X"), is(Optional.empty()));
    }

    @Test
    void unknownEnvironmentIsRefused() {
        assertThat(failure(Variables::environment, production("ENV", "staging")),
                   containsString("ENV must be production, development or testing"));
        assertThat(variables(production("ENV", "Development")).environment(), is(AppEnvironment.DEVELOPMENT));
    }

    @Test
    void aSecretMayComeFromASystemdCredential(@TempDir Path credentials) throws IOException {
        Files.writeString(credentials.resolve("secret_key"), "from-credential\n");
        Map<String, String> env = production("SECRET_KEY", null, "CREDENTIALS_DIRECTORY", credentials.toString());
        assertThat(variables(env).secret("SECRET_KEY", "secret_key"), is(Optional.of("from-credential")));
        assertThat(variables(env).secret("SECRET_KEY", "no_such_file"), is(Optional.empty()));
        env.put("SECRET_KEY", "from-variable");
        assertThat(variables(env).secret("SECRET_KEY", "secret_key"), is(Optional.of("from-variable")));
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
        Map<String, String> env = Variables.environment(file);
        assertThat(env.get("SECRET_KEY"), is(System.getenv().getOrDefault("SECRET_KEY", "from-dotenv")));
        assertThat(env.get("DOTENV_ONLY"), is("quoted value"));
        assertThat(env.get("PATH"), is(System.getenv("PATH")));
        assertThat(env.get("EMPTY"), is(""));
    }

    @Test
    void missingDotEnvIsFine(@TempDir Path dir) {
        assertThat(Variables.environment(dir.resolve(".env")).get("PATH"), is(System.getenv("PATH")));
    }
}
