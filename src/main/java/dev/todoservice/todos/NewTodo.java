package dev.todoservice.todos;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todoservice.json.Json;
import dev.todoservice.web.Validator;
import dev.todoservice.web.Violation;

/**
 * A todo to create: {@code title}, {@code description} and {@code state}, all required (rules in {@link Todo}).
 *
 * @param title       the title
 * @param description the description, possibly empty
 * @param state       one of {@link Todo#STATES}
 */
record NewTodo(String title, String description, String state) {

    private static final int MAX_KEY_LENGTH = 255;

    /**
     * A validated {@code POST /todos/}: the todo, and the {@code Idempotency-Key} that makes it safe to retry.
     *
     * @param todo           what to create
     * @param idempotencyKey 1 to 255 visible ASCII characters, when the client sent one
     */
    record Creation(NewTodo todo, Optional<String> idempotencyKey) {
    }

    /**
     * Validates a creation: the body and the key's header together, so one 422 names every problem.
     *
     * @param body             the JSON object
     * @param idempotencyKeys  the values of the {@code Idempotency-Key} header, possibly none
     * @return the creation
     * @throws dev.todoservice.web.ValidationException with every problem found
     */
    static Creation from(ObjectNode body, List<String> idempotencyKeys) {
        Validator validator = new Validator();
        String title = validator.requiredText(body, "title", Todo.TITLE_MIN, Todo.TITLE_MAX, false);
        String description = validator.requiredText(body, "description", 0, Todo.DESCRIPTION_MAX, false);
        Optional<String> state = validator.choice(body, "state", Todo.STATES, true);
        Optional<String> key = idempotencyKey(validator, idempotencyKeys);
        validator.throwIfInvalid();
        return new Creation(new NewTodo(title, description, state.orElseThrow()), key);
    }

    // One value of visible ASCII: what a UUID or any client-made token is, and nothing a log or header could misread.
    private static Optional<String> idempotencyKey(Validator validator, List<String> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Object> loc = List.of("header", "Idempotency-Key");
        if (values.size() > 1) {
            validator.add(new Violation("value_error", loc, "Value error, give one Idempotency-Key", null));
            return Optional.empty();
        }
        String key = values.getFirst().strip();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            validator.add(new Violation("string_pattern_mismatch", loc,
                                        "String should be 1 to 255 visible ASCII characters", null));
            return Optional.empty();
        }
        return Optional.of(key);
    }

    /**
     * What identifies this request for its {@code Idempotency-Key}: two requests are the same when their fields are;
     * formatting and field order do not count.
     *
     * @return a SHA-256 digest of the fields
     */
    byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Json.bytes(List.of(title, description, state)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
