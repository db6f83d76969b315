package dev.todoservice.json;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * The service's one JSON mapper, for request bodies, answers, stored answers and log lines. Reading is strict: one
 * value, no duplicate members, no {@code NaN}, and nesting and string length are bounded before they cost stack or
 * memory. Records are written in their components' order, under the names their {@code @JsonProperty} gives;
 * an {@link Instant} as ISO-8601 UTC with as many fraction digits as it has ({@code 2026-11-30T03:22:48.123456Z}).
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                                                                          .streamReadConstraints(limits())
                                                                          .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .addModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance))
            .build();

    private Json() {
    }

    /**
     * Parses JSON text.
     *
     * @param text decoded JSON
     * @return the tree
     * @throws IOException ({@link JsonProcessingException}) when it is not one valid JSON value
     */
    public static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    /**
     * Serialises a value.
     *
     * @param value record, map or list
     * @return UTF-8 JSON
     */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    // Deeply nested input is rejected by the parser before it costs stack or memory.
    private static StreamReadConstraints limits() {
        return StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build();
    }
}
