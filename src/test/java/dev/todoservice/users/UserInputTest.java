package dev.todoservice.users;

import java.util.HashMap;
import java.util.Map;

import dev.todoservice.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.todoservice.testing.Inputs.body;
import static dev.todoservice.testing.Inputs.problems;
import static dev.todoservice.testing.Inputs.violations;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

class UserInputTest {

    private static UserInput with(String field, Object value) {
        Map<String, Object> fields = new HashMap<>(Map.of("username", "valid_name", "email", "valid@example.com",
                                                          "password", "valid-password"));
        fields.put(field, value);
        return UserInput.from(body(ApiClient.json(fields)));
    }

    @Test
    void aValidBodyKeepsTheUsernamesCaseAndLowersTheEmail() {
        UserInput input = UserInput.from(body(
                "{\"username\": \"Mixed.Case-1\", \"email\": \"Dave@Example.COM\", \"password\": \"daves-password\"}"));
        assertThat(input, is(new UserInput("Mixed.Case-1", "dave@example.com", "daves-password")));
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
            "username, ab, string_too_short",
            "username, abcdefghijabcdefghijabcdefghijabc, string_too_long",
            "username, has space, string_pattern_mismatch",
            "username, émile, string_pattern_mismatch",
            "email, not-an-email, value_error",
            "email, a@b, value_error",
            "password, short, string_too_short",
    })
    void anInvalidFieldIsReportedWithItsTypeAndPlace(String field, String value, String type) {
        assertThat(problems(() -> with(field, value)), contains(type + " [body, " + field + "]"));
    }

    @Test
    void anEmailWithALocalPartOver64CharactersIsInvalid() {
        assertThat(problems(() -> with("email", "a".repeat(65) + "@example.com")),
                   contains("value_error [body, email]"));
        assertThat(with("email", "a".repeat(64) + "@example.com").email(), is("a".repeat(64) + "@example.com"));
    }

    @Test
    void anOverlongEmailIsInvalid() {
        String email = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".com";
        assertThat(problems(() -> with("email", email)), contains("string_too_long [body, email]"));
    }

    @Test
    void everyMissingFieldIsReported() {
        assertThat(problems(() -> UserInput.from(body("{}"))),
                   contains("missing [body, username]", "missing [body, email]", "missing [body, password]"));
    }

    @Test
    void aPasswordIsNeverEchoedInAnError() {
        String password = "p".repeat(129);
        assertThat(violations(() -> with("password", password)).getFirst().input(), is(nullValue()));
        assertThat(with("password", "correct-horse").toString(), not(containsString("horse")));
    }

    @Test
    void aWrongTypeIsReportedWithTheValueGiven() {
        assertThat(violations(() -> with("username", 42)).getFirst().type(), is("string_type"));
        assertThat(violations(() -> with("username", 42)).getFirst().input().toString(), is("42"));
    }
}
