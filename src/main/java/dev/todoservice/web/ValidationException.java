package dev.todoservice.web;

import java.util.List;

/**
 * One or more problems with the request's input, answered as 422 {@code {"detail": [violation, ...]}}.
 */
public final class ValidationException extends RuntimeException {

    private final List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param violations every problem found, at least one
     */
    public ValidationException(List<Violation> violations) {
        super("invalid input", null, false, false);
        this.violations = List.copyOf(violations);
    }

    /**
     * The problems found.
     *
     * @return violations in the order they were found
     */
    public List<Violation> violations() {
        return violations;
    }
}
