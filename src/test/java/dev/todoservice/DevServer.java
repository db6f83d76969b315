package dev.todoservice;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;

import dev.todoservice.config.Variables;
import dev.todoservice.logging.LogSettings;
import dev.todoservice.logging.LogSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The development run ({@code mvn -Pdev}): {@code ENV=development} unless set, and an embedded PostgreSQL whose data
 * is kept in {@code target/dev-postgres} between runs, unless {@code DATABASE_URL} names a database. Lives in test
 * sources so the embedded PostgreSQL never reaches the production class path.
 */
public final class DevServer {

    private DevServer() {
    }

    /**
     * Entry point.
     *
     * @param args passed to {@link Main#run}
     * @throws Exception when the embedded database cannot start
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>(Variables.environment(Path.of(".env")));
        env.putIfAbsent("ENV", "development");
        // A development server is for this machine only, unless the developer says otherwise.
        env.putIfAbsent("SERVER_HOST", "127.0.0.1");
        if (env.getOrDefault("DATABASE_URL", "").isBlank()) {
            // initdb and postgres talk a lot; their output goes to a file instead of the console.
            LogSetup.configure(new LogSettings(Level.WARNING, LogSettings.Format.TEXT), System.out);
            Path log = Path.of("target", "dev-postgres.log");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(Path.of("target", "dev-postgres"))
                    .setCleanDataDirectory(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            createDatabase(postgres, "todo");
            env.put("DATABASE_URL", "postgresql://postgres@localhost:" + postgres.getPort() + "/todo");
            System.out.println("Embedded PostgreSQL 17 on localhost:" + postgres.getPort()
                                       + ", data in target/dev-postgres, log in " + log);
        }
        Main.run(env, args).ifPresent(server -> System.out.printf(
                "%n  API     http://localhost:%d/hello%n  Docs    http://localhost:%1$d/docs%n"
                        + "  Health  http://localhost:%d/observe/health%n  Metrics http://localhost:%2$d"
                        + "/observe/metrics%n%n  Ctrl+C to stop.%n%n",
                server.port(), server.port(ServerSetup.ADMIN_SOCKET)));
    }

    private static void createDatabase(EmbeddedPostgres postgres, String name) throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
             Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + name);
            }
        }
    }
}
