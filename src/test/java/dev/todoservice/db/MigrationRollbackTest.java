package dev.todoservice.db;

import java.util.Map;

import dev.todoservice.testing.TestDatabase;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The migration rollback story (README, "Backups and restore"): a migration that fails leaves the database exactly as
 * it was, because Flyway runs each migration on PostgreSQL in one transaction, DDL included. A migration that succeeds
 * but is wrong needs a restore instead.
 */
class MigrationRollbackTest {

    private static final String FAILING = "classpath:db/failing-migration";

    // Everything a migration could touch, as one text: tables, columns, defaults, indexes, constraints, every row of
    // the application's tables, and the migration history.
    private static final String FINGERPRINT = """
            SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
                SELECT format('column %s.%s %s null=%s default=%s', table_name, column_name, data_type, is_nullable,
                              column_default) AS line
                FROM information_schema.columns WHERE table_schema = 'public'
                UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
                UNION ALL SELECT format('constraint %s %s', conname, pg_get_constraintdef(oid))
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                UNION ALL SELECT 'user ' || u::text FROM users u
                UNION ALL SELECT 'todo ' || t::text FROM todos t
                UNION ALL SELECT format('history %s %s %s %s', installed_rank, version, checksum, success)
                FROM flyway_schema_history
            ) everything
            """;

    private final TestDatabase databases = TestDatabase.get();
    private String database;
    private DatabaseSettings settings;

    @BeforeEach
    void migratedDatabaseWithRows() {
        database = databases.createDatabase();
        settings = databases.settings(database, Map.of()).database();
        databases.executeIn(database, """
                INSERT INTO users (username, email, password_hash) VALUES ('alice', 'alice@example.com', 'h1'),
                                                                          ('bob', 'bob@example.com', 'h2');
                INSERT INTO todos (user_id, title, description, state, created_at, updated_at)
                SELECT id, 'Buy milk', 'Two litres', 'todo', now(), now() FROM users;
                """);
    }

    @Test
    void failingMigrationLeavesSchemaDataAndHistoryAsTheyWere() {
        String before = databases.queryIn(database, FINGERPRINT);

        FlywayException failure = assertThrows(FlywayException.class,
                () -> Migrations.migrate(settings, "classpath:db/migration", FAILING));

        assertThat(failure.getMessage(), containsString("owner_note"));
        assertThat(databases.queryIn(database, FINGERPRINT), is(before));
    }

    @Test
    void failedMigrationIsNotRecordedSoTheFixedReleaseAppliesCleanly() {
        assertThrows(FlywayException.class, () -> Migrations.migrate(settings, "classpath:db/migration", FAILING));

        assertThat(databases.queryIn(database, "SELECT count(*) FROM flyway_schema_history WHERE version = '999999'"),
                   is("0"));
        assertThat(Migrations.migrate(settings), is(0));
    }
}
