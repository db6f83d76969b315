package dev.todoservice.todos;

import java.util.List;

/**
 * A task as the API shows it. Timestamps are ISO-8601 UTC strings.
 *
 * @param id          database id
 * @param title       1..200 characters
 * @param description 0..2000 characters
 * @param state       one of {@link #STATES}
 * @param created_at  when it was created
 * @param updated_at  when it was last changed
 */
public record Todo(long id, String title, String description, String state, String created_at, String updated_at) {

    /** Allowed values of {@code state}. */
    public static final List<String> STATES = List.of("draft", "todo", "doing", "done", "trash");
    /** Shortest title, in characters. */
    static final int TITLE_MIN = 1;
    /** Longest title, in characters. */
    static final int TITLE_MAX = 200;
    /** Longest description, in characters; it may be empty. */
    static final int DESCRIPTION_MAX = 2000;
}
