package dev.todoservice.todos;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A task as the API shows it; the timestamps are ISO-8601 UTC with the microseconds PostgreSQL keeps, e.g.
 * {@code 2026-11-30T03:22:48.123456Z}.
 *
 * @param id          database id
 * @param title       1 to 200 characters
 * @param description 0 to 2000 characters
 * @param state       one of {@link #STATES}
 * @param createdAt   when it was created
 * @param updatedAt   when it was last changed
 */
public record Todo(long id,
                   String title,
                   String description,
                   String state,
                   @JsonProperty("created_at") Instant createdAt,
                   @JsonProperty("updated_at") Instant updatedAt) {

    /** Allowed values of {@code state}. */
    public static final List<String> STATES = List.of("draft", "todo", "doing", "done", "trash");
    /** Shortest title, in characters. */
    static final int TITLE_MIN = 1;
    /** Longest title, in characters. */
    static final int TITLE_MAX = 200;
    /** Longest description, in characters; it may be empty. */
    static final int DESCRIPTION_MAX = 2000;
}
