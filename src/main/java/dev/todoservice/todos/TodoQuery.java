package dev.todoservice.todos;

import java.util.Optional;

import dev.todoservice.web.Page;
import dev.todoservice.web.Validator;
import io.helidon.common.parameters.Parameters;

/**
 * What {@code GET /todos/} asks for: optional {@code title} and {@code description} (3 to 20 characters, a
 * case-sensitive substring each), an exact {@code state}, and the page.
 *
 * @param title       substring of the title
 * @param description substring of the description
 * @param state       exact state
 * @param offset      rows to skip
 * @param limit       rows to return
 */
record TodoQuery(Optional<String> title, Optional<String> description, Optional<String> state, int offset, int limit) {

    private static final int FILTER_MIN = 3;
    private static final int FILTER_MAX = 20;

    /**
     * Validates the query parameters.
     *
     * @param query the request's query
     * @return the query
     * @throws dev.todoservice.web.ValidationException with every problem found
     */
    static TodoQuery from(Parameters query) {
        Validator validator = new Validator();
        Optional<String> title = validator.queryText(query, "title", FILTER_MIN, FILTER_MAX);
        Optional<String> description = validator.queryText(query, "description", FILTER_MIN, FILTER_MAX);
        Optional<String> state = validator.queryChoice(query, "state", Todo.STATES);
        Page page = validator.page(query);
        validator.throwIfInvalid();
        return new TodoQuery(title, description, state, page.offset(), page.limit());
    }
}
