package dev.todoservice.web;

/**
 * Which part of a collection a {@code GET} asks for: query parameters {@code offset} (rows to skip, default 0) and
 * {@code limit} (1 to 1000 rows, default 100).
 *
 * @param offset rows to skip
 * @param limit  rows to return
 */
public record Page(int offset, int limit) {

    /** The most rows one page holds. */
    public static final int MAX_LIMIT = 1000;
    /** Rows of a page when the client does not say. */
    public static final int DEFAULT_LIMIT = 100;
}
