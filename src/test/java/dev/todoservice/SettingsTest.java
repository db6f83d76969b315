package dev.todoservice;

import org.junit.jupiter.api.Test;

import static dev.todoservice.testing.Env.SECRET;
import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Every module's settings together; each module's own test has its rules. */
class SettingsTest {

    @Test
    void productionNeedsOnlyTheDatabaseUrlAndAKey() {
        Settings settings = Settings.from(variables(production()));
        assertThat(settings.environment().toString(), is("production"));
        assertThat(settings.database().where(), is("db:5432/todo"));
    }

    @Test
    void anyModulesBadValueStopsTheWhole() {
        assertThat(failure(Settings::from, production("TODO_QUOTA", "0")), containsString("TODO_QUOTA"));
        assertThat(failure(Settings::from, production("SECRET_KEY", null)), containsString("SECRET_KEY"));
    }

    @Test
    void toStringRevealsNoSecrets() {
        Settings settings = Settings.from(variables(production("DATABASE_URL", "postgresql://app:hunter2@db/todo")));
        assertThat(settings.toString(), not(containsString("hunter2")));
        assertThat(settings.toString(), not(containsString(SECRET)));
    }
}
