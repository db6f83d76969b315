package dev.todoservice.db;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class TextTest {

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource({
            "plain, true",
            "'Café ☕ 日本語 👩‍💻', true",
            "'', true",
            "'a\u0000b', false",
            "'a\ud800b', false",
            "'a\udc00b', false",
            "'ends high \ud83d', false",
    })
    void postgresStoresTextWithoutNulOrLoneSurrogates(String text, boolean storable) {
        assertThat(Text.storable(text), is(storable));
    }
}
