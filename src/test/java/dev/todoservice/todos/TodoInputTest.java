package dev.todoservice.todos;

import java.util.List;
import java.util.Optional;

import dev.todoservice.testing.Inputs;
import io.helidon.common.uri.UriQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.todoservice.testing.Inputs.body;
import static dev.todoservice.testing.Inputs.problems;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The rules of a todo's create, patch and list input. */
class TodoInputTest {

    private static NewTodo.Creation create(String json, String... keys) {
        return NewTodo.from(body(json), List.of(keys));
    }

    @Test
    void aCreationNeedsEveryField() {
        assertThat(problems(() -> create("{}")),
                   contains("missing [body, title]", "missing [body, description]", "missing [body, state]"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"title\": \"\", \"description\": \"d\", \"state\": \"todo\"}     | string_too_short [body, title]",
            "{\"title\": \"t\", \"description\": \"d\", \"state\": \"finished\"} | enum [body, state]",
            "{\"title\": \"t\", \"description\": \"d\", \"state\": \"DONE\"}     | enum [body, state]",
            "{\"title\": \"a\\u0000b\", \"description\": \"\", \"state\": \"todo\"} | value_error [body, title]",
            "{\"title\": \"a\\ud800b\", \"description\": \"\", \"state\": \"todo\"} | value_error [body, title]",
    })
    void anInvalidCreationNamesTheField(String json, String problem) {
        assertThat(problems(() -> create(json)), contains(problem));
    }

    @Test
    void titleAndDescriptionAreCountedInCharactersUpTo200And2000() {
        String longest = "{\"title\": \"" + "😀".repeat(200) + "\", \"description\": \"" + "d".repeat(2000)
                + "\", \"state\": \"draft\"}";
        assertThat(create(longest).todo().title(), is("😀".repeat(200)));
        String over = "{\"title\": \"" + "t".repeat(201) + "\", \"description\": \"" + "d".repeat(2001)
                + "\", \"state\": \"todo\"}";
        assertThat(problems(() -> create(over)),
                   contains("string_too_long [body, title]", "string_too_long [body, description]"));
    }

    @Test
    void theIdempotencyKeyIsOneValueOfVisibleAscii() {
        String valid = "{\"title\": \"t\", \"description\": \"\", \"state\": \"todo\"}";
        assertThat(create(valid, "k".repeat(255)).idempotencyKey(), is(Optional.of("k".repeat(255))));
        assertThat(create(valid).idempotencyKey(), is(Optional.empty()));
        for (String key : List.of("k".repeat(256), "has space", "tab\tinside", "")) {
            assertThat(key, problems(() -> create(valid, key)), contains("string_pattern_mismatch [header, "
                    + "Idempotency-Key]"));
        }
        assertThat(problems(() -> create(valid, "a", "b")), contains("value_error [header, Idempotency-Key]"));
    }

    @Test
    void bodyAndKeyProblemsAreReportedTogether() {
        assertThat(problems(() -> create("{\"title\": \"\", \"description\": \"\", \"state\": \"todo\"}", " ")),
                   contains("string_too_short [body, title]", "string_pattern_mismatch [header, Idempotency-Key]"));
    }

    @Test
    void sameFieldsMakeTheSameDigestWhateverTheirOrder() {
        NewTodo one = create("{\"title\": \"same\", \"description\": \"d\", \"state\": \"todo\"}").todo();
        NewTodo reordered = create("{ \"state\" : \"todo\", \"description\": \"d\", \"title\": \"same\" }").todo();
        NewTodo other = create("{\"title\": \"other\", \"description\": \"d\", \"state\": \"todo\"}").todo();
        assertThat(reordered.digest(), is(one.digest()));
        assertThat(other.digest(), not(one.digest()));
    }

    @Test
    void aPatchMayBeEmptyAndChecksWhatItHas() {
        assertThat(TodoPatch.from(body("{}")), is(new TodoPatch(Optional.empty(), Optional.empty(), Optional.empty())));
        assertThat(TodoPatch.from(body("{\"description\": \"\"}")).description(), is(Optional.of("")));
        assertThat(problems(() -> TodoPatch.from(body("{\"title\": null, \"state\": \"nope\"}"))),
                   contains("string_type [body, title]", "enum [body, state]"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "title=ab                    | string_too_short [query, title]",
            "title=abcdefghijabcdefghijx | string_too_long [query, title]",
            "description=ab              | string_too_short [query, description]",
            "state=finished              | enum [query, state]",
            "limit=1001                  | less_than_equal [query, limit]",
            "offset=-5                   | greater_than_equal [query, offset]",
            "limit=ten                   | int_parsing [query, limit]",
    })
    void anInvalidQueryNamesTheParameter(String query, String problem) {
        assertThat(problems(() -> TodoQuery.from(UriQuery.create(query))), contains(problem));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "title=Buy&description=shop&state=done&offset=10&limit=1000"})
    void aValidQueryHasTheDefaultsItDoesNotOverride(String query) {
        TodoQuery parsed = TodoQuery.from(UriQuery.create(query));
        assertThat(parsed.limit(), is(query.isEmpty() ? 100 : 1000));
        assertThat(parsed.offset(), is(query.isEmpty() ? 0 : 10));
        assertThat(parsed.state(), is(query.isEmpty() ? Optional.empty() : Optional.of("done")));
    }

    @Test
    void inputsAreParsedByTheSharedStrictMapper() {
        assertThat(Inputs.body("{\"a\": 1}").get("a").asInt(), is(1));
    }
}
