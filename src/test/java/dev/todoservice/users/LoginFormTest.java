package dev.todoservice.users;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.todoservice.testing.Inputs.problems;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

class LoginFormTest {

    @Test
    void theUsernameIsTheEmailInLowerCaseAndOAuthExtrasAreIgnored() {
        LoginForm form = LoginForm.from(Map.of("username", " Alice@Example.COM ", "password", "pw",
                                               "grant_type", "password", "scope", ""));
        assertThat(form, is(new LoginForm("alice@example.com", "pw")));
    }

    @Test
    void everyMissingFieldIsReported() {
        assertThat(problems(() -> LoginForm.from(Map.of())),
                   contains("missing [body, username]", "missing [body, password]"));
        assertThat(problems(() -> LoginForm.from(Map.of("username", "someone@example.com"))),
                   contains("missing [body, password]"));
    }
}
