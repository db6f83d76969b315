package dev.todoservice.config;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatabaseUrlTest {

    @ParameterizedTest
    @CsvSource({
            "postgresql://app:pw@db:5432/todo, jdbc:postgresql://db:5432/todo, app, pw",
            "postgresql+psycopg://app:pw@db:5432/todo, jdbc:postgresql://db:5432/todo, app, pw",
            "postgres://app@db/todo, jdbc:postgresql://db/todo, app, ",
            "jdbc:postgresql://db:5432/todo?user=app&password=pw&sslmode=require, "
                    + "jdbc:postgresql://db:5432/todo?sslmode=require, app, pw",
            "jdbc:postgresql://db/todo, jdbc:postgresql://db/todo, , ",
    })
    void acceptedFormsBecomeACredentialFreeJdbcUrl(String url, String jdbc, String user, String password) {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        assertThat(parsed.jdbcUrl(), is(jdbc));
        assertThat(parsed.user(), is(Optional.ofNullable(user)));
        assertThat(parsed.password(), is(Optional.ofNullable(password)));
        assertThat(parsed.database(), is("todo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://db/todo", "db:5432/todo", "postgresql:///todo"})
    void otherUrlsAreRefused(String url) {
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(url));
    }
}
