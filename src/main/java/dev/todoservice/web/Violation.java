package dev.todoservice.web;

import java.util.List;

/**
 * One validation problem in the contract's shape: {@code {"type", "loc", "msg", "input"}}.
 *
 * @param type  machine-readable kind, e.g. {@code missing} or {@code string_too_short}
 * @param loc   where: {@code ["body"|"query"|"path", field]}
 * @param msg   human-readable message
 * @param input the offending value, or null when absent (never a password)
 */
public record Violation(String type, List<Object> loc, String msg, Object input) {
}
