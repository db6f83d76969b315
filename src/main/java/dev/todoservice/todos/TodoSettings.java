package dev.todoservice.todos;

import dev.todoservice.config.Variables;

/**
 * What one user's todos may cost: {@code TODO_QUOTA}.
 *
 * @param quota the most todos one user may hold
 */
public record TodoSettings(int quota) {

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static TodoSettings from(Variables variables) {
        return new TodoSettings(variables.integer("TODO_QUOTA", 1, 100_000_000));
    }
}
