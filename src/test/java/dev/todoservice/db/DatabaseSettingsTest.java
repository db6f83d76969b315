package dev.todoservice.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class DatabaseSettingsTest {

    private static DatabaseSettings load(String... keyValues) {
        return DatabaseSettings.from(variables(production(keyValues)));
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        DatabaseSettings settings = load();
        assertThat(settings.url().jdbcUrl(), is("jdbc:postgresql://db:5432/todo"));
        assertThat(settings.user(), is("postgres"));
        assertThat(settings.poolSize(), is(10));
        assertThat(settings.startupWait(), is(Duration.ofSeconds(60)));
        assertThat(settings.migrateOnStart(), is(true));
        assertThat(settings.statementTimeout(), is(Duration.ofSeconds(2)));
    }

    @Test
    void environmentVariablesOverrideDefaults() {
        DatabaseSettings settings = load("DB_POOL_SIZE", "3", "DB_WAIT_SECONDS", "5", "MIGRATE_ON_START", "false",
                                         "DB_STATEMENT_TIMEOUT", "750ms");
        assertThat(settings.poolSize(), is(3));
        assertThat(settings.startupWait(), is(Duration.ofSeconds(5)));
        assertThat(settings.migrateOnStart(), is(false));
        assertThat(settings.statementTimeout(), is(Duration.ofMillis(750)));
    }

    @Test
    void missingDatabaseUrlIsRefused() {
        assertThat(failure(DatabaseSettings::from, production("DATABASE_URL", null)),
                   containsString("DATABASE_URL is required"));
    }

    @ParameterizedTest
    @CsvSource({"DB_POOL_SIZE, 0", "MIGRATE_ON_START, maybe", "DB_WAIT_SECONDS, soon",
            "DB_STATEMENT_TIMEOUT, 2 seconds", "DB_STATEMENT_TIMEOUT, 10ms", "DATABASE_URL, mysql://db/todo"})
    void invalidValueIsRefusedNamingTheVariable(String name, String value) {
        assertThat(failure(DatabaseSettings::from, production(name, value)), containsString(name));
    }

    @Test
    void credentialsComeFromTheUrlUnlessGivenSeparately() {
        DatabaseSettings fromUrl = load("DATABASE_URL", "postgresql+psycopg://app:s%40cret@db:5432/todo");
        assertThat(fromUrl.user(), is("app"));
        assertThat(fromUrl.password(), is("s@cret"));
        DatabaseSettings separate = load("DATABASE_URL", "postgresql://app:s%40cret@db:5432/todo",
                                         "DATABASE_USER", "other", "DATABASE_PASSWORD", "pw");
        assertThat(separate.user(), is("other"));
        assertThat(separate.password(), is("pw"));
    }

    @Test
    void thePasswordMayComeFromASystemdCredential(@TempDir Path credentials) throws IOException {
        Files.writeString(credentials.resolve("database_password"), "from-credential\n");
        assertThat(load("CREDENTIALS_DIRECTORY", credentials.toString()).password(), is("from-credential"));
    }

    @Test
    void toStringNamesTheDatabaseButNotThePassword() {
        DatabaseSettings settings = load("DATABASE_URL", "postgresql://app:hunter2@db/todo");
        assertThat(settings.toString(), containsString("db/todo"));
        assertThat(settings.toString(), not(containsString("hunter2")));
    }
}
