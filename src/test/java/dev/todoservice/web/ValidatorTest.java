package dev.todoservice.web;

import java.util.List;
import java.util.Optional;

import io.helidon.common.uri.UriQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.todoservice.testing.Inputs.body;
import static dev.todoservice.testing.Inputs.problems;
import static dev.todoservice.testing.Inputs.violations;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** The generic checks every feature's input rules are made of. */
class ValidatorTest {

    private static Page page(String query) {
        Validator validator = new Validator();
        Page page = validator.page(UriQuery.create(query));
        validator.throwIfInvalid();
        return page;
    }

    @Test
    void aPageDefaultsToTheFirstHundredRows() {
        assertThat(page(""), is(new Page(0, 100)));
        assertThat(page("offset=7&limit=1000"), is(new Page(7, 1000)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "limit=0                    | greater_than_equal [query, limit]",
            "limit=1001                 | less_than_equal [query, limit]",
            "offset=-1                  | greater_than_equal [query, offset]",
            "offset=abc                 | int_parsing [query, offset]",
            "limit=99999999999999999999 | int_parsing [query, limit]",
    })
    void anOutOfRangePageNamesTheParameter(String query, String problem) {
        assertThat(problems(() -> page(query)), contains(problem));
    }

    @Test
    void lengthsCountCharactersNotUtf16Units() {
        Validator validator = new Validator();
        String value = validator.requiredText(body("{\"t\": \"😀😀\"}"), "t", 2, 2, false);
        validator.throwIfInvalid();
        assertThat(value, is("😀😀"));
    }

    @Test
    void aSecretIsNeverEchoed() {
        assertThat(violations(() -> {
            Validator validator = new Validator();
            validator.requiredText(body("{\"p\": \"short\"}"), "p", 8, 128, true);
            validator.throwIfInvalid();
            return null;
        }).getFirst().input(), is((Object) null));
    }

    @Test
    void anEnumViolationListsTheAllowedValues() {
        Validator validator = new Validator();
        validator.choice(body("{\"s\": \"x\"}"), "s", List.of("a", "b", "c"), true);
        assertThat(violations(() -> {
            validator.throwIfInvalid();
            return null;
        }).getFirst().msg(), is("Input should be 'a', 'b' or 'c'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "abc", "99999999999999999999", ""})
    void aPathIdIsAPositive64BitInteger(String raw) {
        assertThat(Validator.pathId(raw), is(Optional.empty()));
    }

    @Test
    void aValidPathIdIsItsNumber() {
        assertThat(Validator.pathId("9223372036854775807"), is(Optional.of(Long.MAX_VALUE)));
    }
}
