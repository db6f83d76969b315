package dev.todoservice.json;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "2026-11-30T03:22:48.123456Z", "2026-11-30T03:22:49Z",
                            "2026-02-28T23:59:59.999999999Z", "2028-02-29T12:00:00.100Z", "2026-11-30T03:22:48.000001Z",
                            "9999-12-31T23:59:59.999999Z", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z",
                            "0001-01-01T00:00:00Z"})
    void anInstantIsWrittenAsItsToStringWritesIt(String text) {
        Instant instant = Instant.parse(text);
        assertThat(Json.iso(instant), is(instant.toString()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000, 1_000_000})
    void randomInstantsAreWrittenAsTheirToStringWritesThem(int nanoStep) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(253_402_300_800L),
                                                    random.nextInt(1_000_000_000 / nanoStep) * nanoStep);
            assertThat(Json.iso(instant), is(instant.toString()));
        }
    }
}
