package dev.todoservice.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbStatement;
import io.helidon.dbclient.DbStatementDml;
import io.helidon.dbclient.DbStatementGet;
import io.helidon.dbclient.DbStatementQuery;

/**
 * A statement of {@code application.yaml} ({@code db.statements}) whose {@code :name} parameters were turned into
 * JDBC's {@code ?} once, when the service started: Helidon's JDBC client parses a statement with named parameters again
 * on every execution (a tenth of a request's CPU, bench/results). Its values are bound by position, in the order the
 * names occur, exactly as Helidon binds named ones.
 *
 * @param name       the statement's name (its timer's too)
 * @param sql        the text with {@code ?} in place of each parameter
 * @param parameters the parameters' names in the order they occur, repeated where a name occurs again
 */
public record Statement(String name, String sql, List<String> parameters) {

    /**
     * Parses a statement's text: {@code :name} outside quoted strings and comments is a parameter, as Helidon reads it.
     *
     * @param name the statement's name
     * @param text the statement with named parameters
     * @return the statement with positional ones
     */
    public static Statement parse(String name, String text) {
        StringBuilder sql = new StringBuilder(text.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end = i + 1;
            if (c == '\'') {
                end = after(text, "'", i + 1);
            } else if (text.startsWith("--", i)) {
                end = after(text, "\n", i + 2);
            } else if (text.startsWith("/*", i)) {
                end = after(text, "*/", i + 2);
            } else if (c == ':' && i + 1 < text.length() && isNameStart(text.charAt(i + 1))) {
                end = i + 2;
                while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
                    end++;
                }
                names.add(text.substring(i + 1, end));
                sql.append('?');
                i = end;
                continue;
            }
            sql.append(text, i, end);
            i = end;
        }
        return new Statement(name, sql.toString(), List.copyOf(names));
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isJavaIdentifierStart(c);
    }

    // The index just past the first closing sequence from {@code from}, or the end of the text.
    private static int after(String text, String closing, int from) {
        int found = text.indexOf(closing, from);
        return found < 0 ? text.length() : found + closing.length();
    }

    /**
     * A query returning at most one row.
     *
     * @param exec   where to run it
     * @param values the parameters' values
     * @return the bound statement
     */
    public DbStatementGet get(DbExecute exec, Params values) {
        return bind(exec.createNamedGet(name, sql), values);
    }

    /**
     * A query returning rows.
     *
     * @param exec   where to run it
     * @param values the parameters' values
     * @return the bound statement
     */
    public DbStatementQuery query(DbExecute exec, Params values) {
        return bind(exec.createNamedQuery(name, sql), values);
    }

    /**
     * An insert, update or delete returning the number of rows it changed.
     *
     * @param exec   where to run it
     * @param values the parameters' values
     * @return the bound statement
     */
    public DbStatementDml dml(DbExecute exec, Params values) {
        return bind(exec.createNamedDmlStatement(name, sql), values);
    }

    private <S extends DbStatement<S>> S bind(S statement, Params values) {
        Map<String, Object> byName = values.asMap();
        for (String parameter : parameters) {
            statement.addParam(value(byName, parameter));
        }
        return statement;
    }

    /**
     * Binds the values to a JDBC statement of this statement's text, as Helidon's JDBC client binds short texts,
     * numbers, booleans and nulls (the types a query read by {@link DatabaseGuard#read} takes).
     *
     * @param statement the prepared statement
     * @param values    the parameters' values
     * @throws SQLException as the driver throws it
     */
    void bind(PreparedStatement statement, Params values) throws SQLException {
        Map<String, Object> byName = values.asMap();
        int index = 1;
        for (String parameter : parameters) {
            switch (value(byName, parameter)) {
                case null -> statement.setNull(index, Types.NULL);
                case String text when text.length() <= 1024 -> statement.setString(index, text);
                case Integer number -> statement.setInt(index, number);
                case Long number -> statement.setLong(index, number);
                case Boolean flag -> statement.setBoolean(index, flag);
                case Object other -> throw new DbClientException("Statement " + name + " binds " + parameter
                        + " through the client, not directly: " + other.getClass().getSimpleName());
            }
            index++;
        }
    }

    private Object value(Map<String, Object> byName, String parameter) {
        if (!byName.containsKey(parameter)) {
            throw new DbClientException("Statement " + name + " misses the parameter " + parameter);
        }
        return byName.get(parameter);
    }
}
