package dev.todoservice.todos;

import org.junit.jupiter.api.Test;

import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class TodoSettingsTest {

    @Test
    void theQuotaIsTenThousandUnlessChosen() {
        assertThat(TodoSettings.from(variables(production())).quota(), is(10_000));
        assertThat(TodoSettings.from(variables(production("TODO_QUOTA", "50"))).quota(), is(50));
    }

    @Test
    void aQuotaBelowOneIsRefused() {
        assertThat(failure(TodoSettings::from, production("TODO_QUOTA", "0")), containsString("TODO_QUOTA"));
    }
}
