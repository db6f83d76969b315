package dev.todoservice.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import io.helidon.dbclient.DbClientException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class SqlErrorsTest {

    @Test
    void lostConnectionIsAConnectionFailure() {
        DbClientException error = new DbClientException("query failed", new SQLException("I/O error", "08006"));
        assertThat(SqlErrors.isConnectionFailure(error), is(true));
        assertThat(SqlErrors.isPoolExhausted(error), is(false));
    }

    @Test
    void serverShuttingDownIsAConnectionFailure() {
        assertThat(SqlErrors.isConnectionFailure(new SQLException("terminating connection", "57P01")), is(true));
    }

    @Test
    void poolTimeOutBehindARefusedConnectionIsAConnectionFailure() {
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "Connection is not available", "08001", new SQLException("Connection refused", "08001"));
        assertThat(SqlErrors.isConnectionFailure(new DbClientException("x", timeout)), is(true));
        assertThat(SqlErrors.isPoolExhausted(new DbClientException("x", timeout)), is(false));
    }

    @Test
    void lostConnectionMeansTheServerIsGone() {
        DbClientException lost = new DbClientException("x", new SQLException("I/O error", "08006"));
        assertThat(SqlErrors.isServerGone(lost), is(true));
        assertThat(SqlErrors.isServerGone(new SQLException("terminating connection", "57P01")), is(true));
    }

    @Test
    void tooManyConnectionsIsAnOutageButTheOpenConnectionsStillWork() {
        SQLException tooMany = new SQLException("sorry, too many clients already", "53300");
        assertThat(SqlErrors.isConnectionFailure(tooMany), is(true));
        assertThat(SqlErrors.isServerGone(tooMany), is(false));
    }

    @Test
    void poolTimeOutUnderLoadIsExhaustionNotAnOutage() {
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "todo-service - Connection is not available, request timed out after 3000ms.");
        assertThat(SqlErrors.isConnectionFailure(new DbClientException("x", timeout)), is(false));
        assertThat(SqlErrors.isPoolExhausted(new DbClientException("x", timeout)), is(true));
    }

    @Test
    void badStatementIsNeither() {
        SQLException syntax = new SQLException("syntax error", "42601");
        assertThat(SqlErrors.isConnectionFailure(syntax), is(false));
        assertThat(SqlErrors.isPoolExhausted(syntax), is(false));
    }
}
