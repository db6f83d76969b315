package dev.todoservice.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.todoservice.Main;
import dev.todoservice.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MigrationsTest {

    @Test
    void twoInstancesMigratingTogetherApplyEachMigrationOnce() throws Exception {
        TestDatabase databases = TestDatabase.get();
        String database = databases.createEmptyDatabase();
        DatabaseSettings settings = databases.settings(database, Map.of()).database();
        CyclicBarrier start = new CyclicBarrier(2);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Integer>> runs = List.of(
                    pool.submit(() -> {
                        start.await();
                        return Migrations.migrate(settings);
                    }),
                    pool.submit(() -> {
                        start.await();
                        return Migrations.migrate(settings);
                    }));
            int applied = runs.get(0).get() + runs.get(1).get();
            String files = databases.queryIn(database, "SELECT count(*) FROM flyway_schema_history WHERE success");
            assertThat(applied, is(Integer.parseInt(files)));
            assertThat(databases.queryIn(database, "SELECT count(*) FROM flyway_schema_history WHERE NOT success"),
                       is("0"));
        }
    }

    @Test
    void usernamesThatDifferOnlyInCaseStopTheMigrationNamingThem() {
        TestDatabase databases = TestDatabase.get();
        String database = databases.createEmptyDatabase();
        DatabaseSettings settings = databases.settings(database, Map.of()).database();
        Flyway flyway = Flyway.configure()
                .dataSource(settings.url().jdbcUrl(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .target("3")
                .load();
        flyway.migrate();
        databases.executeIn(database, "INSERT INTO users (username, email, password_hash) VALUES"
                + " ('Alice', 'a1@example.com', 'x'), ('bob', 'b@example.com', 'x'), ('alice', 'a2@example.com', 'x')");
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Migrations.migrate(settings));
        String message = messages(failure);
        assertThat(message, containsString("differ only in case: Alice, alice (ids 1, 3)"));
        assertThat(message, containsString("Rename all but one"));
        assertThat(databases.queryIn(database, "SELECT max(version) FROM flyway_schema_history WHERE success"),
                   is("3"));
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void packagedVersionsAreTheMigrationFilesVersions() {
        assertThat(Migrations.packagedVersions(),
                   contains(IntStream.rangeClosed(1, 6).mapToObj(Integer::toString).toArray()));
    }

    @Test
    void schemaIsCurrentOnlyWithExactlyThePackagedMigrationsApplied() throws Exception {
        TestDatabase databases = TestDatabase.get();
        String database = databases.createEmptyDatabase();
        DatabaseSettings settings = databases.settings(database, Map.of()).database();
        try (Connection connection = DriverManager.getConnection(settings.url().jdbcUrl(), settings.user(),
                                                                 settings.password())) {
            assertThat("no history table", Migrations.isCurrent(connection), is(false));
            Migrations.migrate(settings);
            assertThat("all applied", Migrations.isCurrent(connection), is(true));
            databases.executeIn(database, "UPDATE flyway_schema_history SET success = false WHERE version = '6'");
            assertThat("the newest failed", Migrations.isCurrent(connection), is(false));
            databases.executeIn(database, "DELETE FROM flyway_schema_history WHERE version = '6'");
            assertThat("the newest missing", Migrations.isCurrent(connection), is(false));
        }
    }

    @Test
    void migrateCommandAppliesMigrationsWithoutNeedingTheSigningKey() {
        TestDatabase databases = TestDatabase.get();
        String database = databases.createEmptyDatabase();
        DatabaseSettings settings = databases.settings(database, Map.of()).database();
        Map<String, String> env = Map.of(
                "DATABASE_URL", settings.url().jdbcUrl(),
                "DATABASE_USER", settings.user(),
                "DATABASE_PASSWORD", settings.password(),
                "LOG_LEVEL", "WARNING");
        assertThat(Main.run(env, new String[] {"migrate"}), is(Optional.empty()));
        assertThat(databases.queryIn(database, "SELECT to_regclass('public.todos') IS NOT NULL"), is("t"));
    }
}
