package dev.todoservice.todos;

import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todoservice.web.Validator;

/**
 * A {@code PATCH /todos/{todo_id}} body: any of {@code title}, {@code description} and {@code state}, each valid when
 * present (rules in {@link Todo}); absent fields keep their value, and {@code {}} is valid.
 *
 * @param title       new title, if any
 * @param description new description, if any
 * @param state       new state, if any
 */
record TodoPatch(Optional<String> title, Optional<String> description, Optional<String> state) {

    /**
     * Validates a body.
     *
     * @param body the JSON object
     * @return the patch
     * @throws dev.todoservice.web.ValidationException with every problem found
     */
    static TodoPatch from(ObjectNode body) {
        Validator validator = new Validator();
        Optional<String> title = validator.optionalText(body, "title", Todo.TITLE_MIN, Todo.TITLE_MAX);
        Optional<String> description = validator.optionalText(body, "description", 0, Todo.DESCRIPTION_MAX);
        Optional<String> state = validator.choice(body, "state", Todo.STATES, false);
        validator.throwIfInvalid();
        return new TodoPatch(title, description, state);
    }
}
