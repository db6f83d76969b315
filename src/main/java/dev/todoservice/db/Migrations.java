package dev.todoservice.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations in {@code db/migration}. Flyway holds a PostgreSQL advisory lock while it migrates,
 * so instances starting together apply each migration exactly once.
 *
 * <p>At start-up, {@link #isCurrent} first looks at Flyway's history on a connection the service already has: when
 * exactly the packaged migrations are applied, all successfully, there is nothing for Flyway to do, and its class-path
 * scan, validation and lock (a few hundred milliseconds) are skipped. Anything else goes to Flyway.
 */
public final class Migrations {

    private static final Logger LOGGER = Logger.getLogger(Migrations.class.getName());
    private static final String DIRECTORY = "db/migration";
    private static final String LOCATION = "classpath:" + DIRECTORY;
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    private Migrations() {
    }

    /**
     * Migrates the database to the latest version.
     *
     * @param settings where the database is
     * @return the number of migrations applied by this call
     */
    public static int migrate(DatabaseSettings settings) {
        return migrate(settings, LOCATION);
    }

    // Each migration runs in its own transaction (PostgreSQL has transactional DDL): one that fails leaves the
    // database exactly as the previous one left it, and is not recorded. Tests add locations with failing migrations.
    static int migrate(DatabaseSettings settings, String... locations) {
        MigrateResult result = Flyway.configure()
                .dataSource(settings.url().jdbcUrl(), settings.user(), settings.password())
                .locations(locations)
                .validateMigrationNaming(true)
                .load()
                .migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion;
        LOGGER.info("Migrations applied: " + result.migrationsExecuted + ", schema version " + version);
        return result.migrationsExecuted;
    }

    /**
     * Whether the database's schema is the one this build packages: Flyway's history holds exactly the packaged
     * versioned migrations, each applied successfully, and nothing else (no failed, baseline or repeatable entry).
     * Reads only committed rows, so a migration another instance is applying right now counts as missing. Does not
     * compare checksums: {@code todo-service migrate}, which deployments run, validates them with Flyway.
     *
     * @param connection an open connection to the database
     * @return true when Flyway would find nothing to do
     * @throws SQLException when the database cannot be asked
     */
    public static boolean isCurrent(Connection connection) throws SQLException {
        List<String> applied = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet history = statement.executeQuery(
                     "SELECT version, type, success FROM flyway_schema_history")) {
            while (history.next()) {
                if (history.getString(1) == null || !history.getBoolean(3)
                        || !Set.of("SQL", "JDBC").contains(history.getString(2))) {
                    return false;
                }
                applied.add(normalised(history.getString(1)));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                // No history table yet: a new database, Flyway's to set up.
                return false;
            }
            throw e;
        }
        Set<String> packaged = packagedVersions();
        boolean current = !packaged.isEmpty() && applied.size() == packaged.size() && packaged.containsAll(applied);
        if (current) {
            LOGGER.info("Schema current: all " + packaged.size() + " migrations applied");
        }
        return current;
    }

    // The versions of the V<version>__<description>.sql files in db/migration, in the jar or a class directory.
    static Set<String> packagedVersions() {
        URL directory = Migrations.class.getClassLoader().getResource(DIRECTORY);
        if (directory == null) {
            return Set.of();
        }
        try {
            return versions(switch (directory.getProtocol()) {
                case "jar" -> jarEntries(directory);
                case "file" -> {
                    try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
                        yield files.map(file -> file.getFileName().toString()).toList();
                    }
                }
                default -> List.of();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> jarEntries(URL directory) throws IOException {
        JarURLConnection connection = (JarURLConnection) directory.openConnection();
        // Our own handle, closed here: the shared cached one serves the class path's other resources.
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            return jar.stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.startsWith(DIRECTORY + "/") && name.indexOf('/', DIRECTORY.length() + 1) < 0)
                    .map(name -> name.substring(DIRECTORY.length() + 1))
                    .toList();
        }
    }

    private static Set<String> versions(Collection<String> fileNames) {
        Set<String> versions = new TreeSet<>();
        for (String name : fileNames) {
            Matcher versioned = VERSIONED.matcher(name);
            if (versioned.matches()) {
                versions.add(normalised(versioned.group(1)));
            } else if (name.endsWith(".sql")) {
                // A repeatable or otherwise named migration: only Flyway knows what to do with it.
                return Set.of();
            }
        }
        return versions;
    }

    // Flyway's version 1_1 is 1.1, and 01.1 is 1.1.
    private static String normalised(String version) {
        return Stream.of(version.split("[._]"))
                .map(part -> new BigInteger(part).toString())
                .collect(Collectors.joining("."));
    }
}
