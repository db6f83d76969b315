package dev.todoservice.logging;

import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class LogSettingsTest {

    private static LogSettings load(String... keyValues) {
        return LogSettings.from(variables(production(keyValues)));
    }

    @Test
    void productionLogsJsonAtInfo() {
        assertThat(load(), is(new LogSettings(Level.INFO, LogSettings.Format.JSON)));
    }

    @Test
    void developmentLogsText() {
        assertThat(load("ENV", "development").format(), is(LogSettings.Format.TEXT));
        assertThat(load("ENV", "testing").format(), is(LogSettings.Format.JSON));
    }

    @Test
    void formatAndLevelCanBeChosen() {
        assertThat(load("LOG_FORMAT", "text", "LOG_LEVEL", "debug"), is(new LogSettings(Level.FINE,
                                                                                          LogSettings.Format.TEXT)));
        assertThat(load("LOG_LEVEL", "warn").level(), is(Level.WARNING));
        assertThat(load("LOG_LEVEL", "TRACE").level(), is(Level.FINEST));
    }

    @ParameterizedTest
    @CsvSource({"LOG_FORMAT, xml, LOG_FORMAT must be json or text", "LOG_LEVEL, LOUD, LOG_LEVEL must be one of"})
    void invalidValueIsRefusedNamingTheVariable(String name, String value, String message) {
        assertThat(failure(LogSettings::from, production(name, value)), containsString(message));
    }
}
