package dev.todoservice.web;

import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class RequestInfoTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 499, 501, 999_999, 1_000_000, 123_456_789, 999_999_499, 1_000_000_001, 61_234_567_891L})
    void processingTimeIsSecondsWithSixDecimalsAsFormatWritesThem(long nanos) {
        assertThat(RequestInfo.seconds(nanos), is(String.format(Locale.ROOT, "%.6f", nanos / 1e9)));
    }
}
