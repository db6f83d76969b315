package dev.todoservice.json;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

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
            .addModule(new SimpleModule("instants").addSerializer(Instant.class, new InstantSerializer()))
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

    /**
     * An instant as {@link Instant#toString()} writes it ({@code 2026-11-30T03:22:48.123456Z}: seconds always, the
     * fraction in groups of three digits as far as it goes), without the formatter machinery {@code toString} runs
     * for each value: a list of todos holds two per todo.
     *
     * @param instant the instant
     * @return ISO-8601 in UTC
     */
    public static String iso(Instant instant) {
        long seconds = instant.getEpochSecond();
        // Years 1970 to 9999; toString adds signs and more digits outside 0000-9999.
        if (seconds < 0 || seconds >= 253_402_300_800L) {
            return instant.toString();
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(30);
        digits(text, time.getYear(), 4).append('-');
        digits(text, time.getMonthValue(), 2).append('-');
        digits(text, time.getDayOfMonth(), 2).append('T');
        digits(text, time.getHour(), 2).append(':');
        digits(text, time.getMinute(), 2).append(':');
        digits(text, time.getSecond(), 2);
        int nanos = instant.getNano();
        if (nanos > 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(text, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(text, nanos / 1000, 6);
            } else {
                digits(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder text, int value, int width) {
        String number = Integer.toString(value);
        return text.repeat('0', width - number.length()).append(number);
    }

    private static final class InstantSerializer extends StdSerializer<Instant> {

        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(iso(value));
        }
    }

    // Deeply nested input is rejected by the parser before it costs stack or memory.
    private static StreamReadConstraints limits() {
        return StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build();
    }
}
