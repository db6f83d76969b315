package dev.todoservice.todos;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.todoservice.json.Json;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** A todo on the wire: the contract's member names and order, timestamps as ISO-8601 UTC with their microseconds. */
class TodoJsonTest {

    @Test
    void aTodoIsWrittenWithSnakeCaseTimestampsInTheirOwnPrecision() {
        Todo todo = new Todo(7, "Write tests", "all of them", "doing", Instant.parse("2026-11-30T03:22:48.123456Z"),
                             Instant.parse("2026-11-30T03:22:49Z"));
        assertThat(new String(Json.bytes(todo), StandardCharsets.UTF_8),
                   is("{\"id\":7,\"title\":\"Write tests\",\"description\":\"all of them\",\"state\":\"doing\","
                              + "\"created_at\":\"2026-11-30T03:22:48.123456Z\","
                              + "\"updated_at\":\"2026-11-30T03:22:49Z\"}"));
    }
}
