package dev.todoservice.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todoservice.db.Text;
import io.helidon.common.parameters.Parameters;

/**
 * The generic checks of request input (text lengths, choices, numbers, pagination, path ids), collecting every problem
 * so a client sees them all in one 422. The rules of each field live with its feature, which uses these checks.
 * Messages follow the FastAPI/pydantic wording the seed's clients know.
 */
public final class Validator {

    /** Where a problem was found: the body. */
    public static final String BODY = "body";
    private static final String QUERY = "query";
    private static final String PATH = "path";

    private final List<Violation> violations = new ArrayList<>();

    /**
     * A "Field required" violation.
     *
     * @param loc where
     * @return the violation
     */
    public static Violation missing(List<Object> loc) {
        return new Violation("missing", loc, "Field required", null);
    }

    /**
     * Records a problem a feature's own rule found.
     *
     * @param violation the problem
     */
    public void add(Violation violation) {
        violations.add(violation);
    }

    /**
     * A required string field of a JSON body.
     *
     * @param body   the body
     * @param field  field name
     * @param min    minimum length in characters
     * @param max    maximum length in characters
     * @param secret true to keep the value out of the error (passwords)
     * @return the value, or null when invalid (a violation was recorded)
     */
    public String requiredText(ObjectNode body, String field, int min, int max, boolean secret) {
        if (!body.has(field)) {
            violations.add(missing(List.of(BODY, field)));
            return null;
        }
        return text(body.get(field), field, min, max, secret);
    }

    /**
     * An optional string field of a JSON body; present means it must be valid.
     *
     * @param body  the body
     * @param field field name
     * @param min   minimum length
     * @param max   maximum length
     * @return the value when present and valid
     */
    public Optional<String> optionalText(ObjectNode body, String field, int min, int max) {
        return body.has(field) ? Optional.ofNullable(text(body.get(field), field, min, max, false)) : Optional.empty();
    }

    /**
     * A required or optional enum field of a JSON body.
     *
     * @param body     the body
     * @param field    field name
     * @param allowed  allowed values
     * @param required whether absence is a violation
     * @return the value when present and valid
     */
    public Optional<String> choice(ObjectNode body, String field, List<String> allowed, boolean required) {
        if (!body.has(field)) {
            if (required) {
                violations.add(missing(List.of(BODY, field)));
            }
            return Optional.empty();
        }
        JsonNode node = body.get(field);
        if (!node.isTextual() || !allowed.contains(node.textValue())) {
            violations.add(enumViolation(List.of(BODY, field), allowed, node));
            return Optional.empty();
        }
        return Optional.of(node.textValue());
    }

    /**
     * The page a collection {@code GET} asks for.
     *
     * @param query query parameters
     * @return the page; the defaults where a parameter is absent or invalid
     */
    public Page page(Parameters query) {
        return new Page(queryInt(query, "offset", 0, 0, Integer.MAX_VALUE),
                        queryInt(query, "limit", Page.DEFAULT_LIMIT, 1, Page.MAX_LIMIT));
    }

    private int queryInt(Parameters query, String name, int defaultValue, int min, long max) {
        if (!query.contains(name)) {
            return defaultValue;
        }
        String raw = query.get(name);
        long value;
        try {
            value = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            violations.add(new Violation("int_parsing", List.of(QUERY, name),
                                         "Input should be a valid integer, unable to parse string as an integer", raw));
            return defaultValue;
        }
        if (value < min) {
            violations.add(new Violation("greater_than_equal", List.of(QUERY, name),
                                         "Input should be greater than or equal to " + min, raw));
            return defaultValue;
        }
        if (value > max) {
            violations.add(new Violation("less_than_equal", List.of(QUERY, name),
                                         "Input should be less than or equal to " + max, raw));
            return defaultValue;
        }
        return (int) value;
    }

    /**
     * An optional text query parameter with length bounds.
     *
     * @param query query parameters
     * @param name  parameter name
     * @param min   minimum length
     * @param max   maximum length
     * @return the value when present and valid
     */
    public Optional<String> queryText(Parameters query, String name, int min, int max) {
        if (!query.contains(name)) {
            return Optional.empty();
        }
        String raw = query.get(name);
        return Optional.ofNullable(length(raw, List.of(QUERY, name), min, max, raw));
    }

    /**
     * An optional enum query parameter.
     *
     * @param query   query parameters
     * @param name    parameter name
     * @param allowed allowed values
     * @return the value when present and valid
     */
    public Optional<String> queryChoice(Parameters query, String name, List<String> allowed) {
        if (!query.contains(name)) {
            return Optional.empty();
        }
        String raw = query.get(name);
        if (!allowed.contains(raw)) {
            violations.add(enumViolation(List.of(QUERY, name), allowed, raw));
            return Optional.empty();
        }
        return Optional.of(raw);
    }

    /**
     * A positive 64-bit id from the path.
     *
     * @param raw the path segment
     * @return the id, or empty when it is not a positive integer in range
     */
    public static Optional<Long> pathId(String raw) {
        try {
            long id = Long.parseLong(raw);
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The 422 for a path id that is not a positive integer, for routes without a not-found message.
     *
     * @param raw  the path segment
     * @param name parameter name
     * @return the exception to throw
     */
    public static ValidationException invalidPathId(String raw, String name) {
        return new ValidationException(List.of(new Violation(
                "greater_than", List.of(PATH, name), "Input should be a positive integer", raw)));
    }

    /**
     * Throws every recorded violation at once.
     *
     * @throws ValidationException when anything was recorded
     */
    public void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }

    private String text(JsonNode node, String field, int min, int max, boolean secret) {
        if (!node.isTextual()) {
            violations.add(new Violation("string_type", List.of(BODY, field), "Input should be a valid string",
                                         secret ? null : node));
            return null;
        }
        return length(node.textValue(), List.of(BODY, field), min, max, secret ? null : node.textValue());
    }

    private String length(String value, List<Object> loc, int min, int max, Object input) {
        if (!Text.storable(value)) {
            violations.add(new Violation("value_error", loc,
                                         "Value error, text must not contain NUL or unpaired surrogate characters",
                                         null));
            return null;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            violations.add(new Violation("string_too_short", loc, "String should have at least " + min
                    + (min == 1 ? " character" : " characters"), input));
            return null;
        }
        if (length > max) {
            violations.add(new Violation("string_too_long", loc, "String should have at most " + max
                    + (max == 1 ? " character" : " characters"), input));
            return null;
        }
        return value;
    }

    private static Violation enumViolation(List<Object> loc, List<String> allowed, Object input) {
        List<String> quoted = allowed.stream().map(s -> "'" + s + "'").toList();
        String list = quoted.size() == 1
                ? quoted.getFirst()
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.getLast();
        return new Violation("enum", loc, "Input should be " + list, input);
    }
}
