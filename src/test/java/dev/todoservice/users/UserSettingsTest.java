package dev.todoservice.users;

import org.junit.jupiter.api.Test;

import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class UserSettingsTest {

    private static boolean listPublic(String... keyValues) {
        return UserSettings.from(variables(production(keyValues))).listPublic();
    }

    @Test
    void userReadsNeedATokenInProductionByDefault() {
        assertThat(listPublic(), is(false));
        assertThat(listPublic("USERS_LIST_PUBLIC", "true"), is(true));
    }

    @Test
    void userReadsArePublicByDefaultOutsideProduction() {
        assertThat(listPublic("ENV", "development"), is(true));
        assertThat(listPublic("ENV", "testing"), is(true));
        assertThat(listPublic("ENV", "testing", "USERS_LIST_PUBLIC", "false"), is(false));
    }

    @Test
    void anythingButYesOrNoIsRefused() {
        assertThat(failure(UserSettings::from, production("USERS_LIST_PUBLIC", "sometimes")),
                   containsString("USERS_LIST_PUBLIC"));
    }
}
