package dev.todoservice.db;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import dev.todoservice.config.AppConfig;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class StatementTest {

    @Test
    void everyConfiguredStatementReadsAsHelidonsOwnParserReadsIt() throws ReflectiveOperationException {
        Map<String, Statement> statements = Databases.statements(AppConfig.load(Map.of()));
        assertThat(statements.keySet(), is(not(empty())));
        // The parser Helidon's JDBC client runs on every execution of a statement with named parameters.
        Class<?> parser = Class.forName("io.helidon.dbclient.jdbc.NamedStatementParser");
        Constructor<?> create = parser.getDeclaredConstructor(String.class);
        Method convert = parser.getDeclaredMethod("convert");
        Method names = parser.getDeclaredMethod("namesOrder");
        create.setAccessible(true);
        convert.setAccessible(true);
        names.setAccessible(true);
        for (Statement statement : statements.values()) {
            String original = AppConfig.load(Map.of()).get("db.statements." + statement.name()).asString().get();
            Object helidon = create.newInstance(original);
            assertThat(statement.name(), statement.sql(), is(convert.invoke(helidon)));
            assertThat(statement.name(), statement.parameters(), is(List.copyOf((List<?>) names.invoke(helidon))));
        }
    }

    @Test
    void parametersInStringsAndCommentsAreText() {
        Statement statement = Statement.parse("s", """
                SELECT ':not' AS a, x -- :nor
                FROM t /* :neither */ WHERE y = :y AND z = :z_1 OR y = :y""");
        assertThat(statement.sql(), is("""
                SELECT ':not' AS a, x -- :nor
                FROM t /* :neither */ WHERE y = ? AND z = ? OR y = ?"""));
        assertThat(statement.parameters(), contains("y", "z_1", "y"));
    }
}
