package dev.todoservice.todos;

/**
 * The answer to a creation with an {@code Idempotency-Key}: the one just made, or the stored first answer to the same
 * key, replayed byte for byte.
 *
 * @param status   HTTP status of the answer
 * @param json     the answer's body
 * @param replayed whether it is the stored answer of an earlier request
 */
record KeyedAnswer(int status, String json, boolean replayed) {
}
