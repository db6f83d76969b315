package dev.todoservice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todoservice.json.Json;
import dev.todoservice.web.ValidationException;
import dev.todoservice.web.Violation;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Input for the validation rules' unit tests, and the violations they report. */
public final class Inputs {

    private Inputs() {
    }

    /**
     * A JSON object as a request body would be parsed.
     *
     * @param json the object's text
     * @return the object
     */
    public static ObjectNode body(String json) {
        try {
            return (ObjectNode) Json.parse(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The violations a rule reports, failing when it reports none.
     *
     * @param validation the rule applied to some input
     * @return every violation, in order
     */
    public static List<Violation> violations(Supplier<?> validation) {
        return assertThrows(ValidationException.class, validation::get).violations();
    }

    /**
     * The {@code type} and {@code loc} of each violation, e.g. {@code string_too_short [body, title]}, for assertions
     * that show every problem found.
     *
     * @param validation the rule applied to some input
     * @return one line per violation
     */
    public static List<String> problems(Supplier<?> validation) {
        return violations(validation).stream().map(v -> v.type() + " " + v.loc()).toList();
    }
}
