package dev.todoservice.db;

import java.util.HashMap;
import java.util.Map;

/**
 * The values of a {@link Statement}'s parameters, by name; a value may be null (SQL NULL).
 */
public final class Params {

    private final Map<String, Object> values = new HashMap<>();

    private Params() {
    }

    /**
     * Starts with one value.
     *
     * @param name  the parameter
     * @param value its value, possibly null
     * @return the values
     */
    public static Params of(String name, Object value) {
        return new Params().and(name, value);
    }

    /**
     * Adds a value.
     *
     * @param name  the parameter
     * @param value its value, possibly null
     * @return these values
     */
    public Params and(String name, Object value) {
        values.put(name, value);
        return this;
    }

    Map<String, Object> asMap() {
        return values;
    }
}
