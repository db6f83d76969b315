package dev.todoservice.todos;

import java.util.Optional;

/**
 * What {@code GET /todos/} narrows by.
 *
 * @param title       case-sensitive substring of the title
 * @param description case-sensitive substring of the description
 * @param state       exact state
 * @param offset      rows to skip
 * @param limit       rows to return
 */
public record TodoFilter(Optional<String> title, Optional<String> description, Optional<String> state,
                         int offset, int limit) {
}
