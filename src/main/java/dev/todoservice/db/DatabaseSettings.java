package dev.todoservice.db;

import java.time.Duration;

import dev.todoservice.config.DatabaseUrl;
import dev.todoservice.config.Variables;

/**
 * Where PostgreSQL is and how the service uses it: {@code DATABASE_URL}, {@code DATABASE_USER},
 * {@code DATABASE_PASSWORD} (or the credential {@code database_password}; else the URL's), {@code DB_POOL_SIZE},
 * {@code DB_WAIT_SECONDS}, {@code MIGRATE_ON_START} and {@code DB_STATEMENT_TIMEOUT}.
 *
 * @param url              where the database is, without credentials
 * @param user             database user
 * @param password         database password; never printed
 * @param poolSize         most pooled connections
 * @param startupWait      how long start-up waits for the database
 * @param migrateOnStart   whether start-up applies migrations
 * @param statementTimeout longest a statement may run
 */
public record DatabaseSettings(DatabaseUrl url,
                               String user,
                               String password,
                               int poolSize,
                               Duration startupWait,
                               boolean migrateOnStart,
                               Duration statementTimeout) {

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is missing or wrong
     */
    public static DatabaseSettings from(Variables variables) {
        DatabaseUrl url = DatabaseUrl.parse(variables.required("DATABASE_URL"));
        return new DatabaseSettings(url,
                                    variables.optional("DATABASE_USER").or(url::user).orElse("postgres"),
                                    variables.secret("DATABASE_PASSWORD", "database_password")
                                            .or(url::password)
                                            .orElse(""),
                                    variables.integer("DB_POOL_SIZE", 1, 1000),
                                    Duration.ofSeconds(variables.integer("DB_WAIT_SECONDS", 0, 86_400)),
                                    variables.bool("MIGRATE_ON_START"),
                                    variables.duration("DB_STATEMENT_TIMEOUT", Duration.ofMillis(100),
                                                       Duration.ofHours(1)));
    }

    /**
     * The database for logs: host, port and name, no credentials.
     *
     * @return e.g. {@code db:5432/todo}
     */
    public String where() {
        return url.host() + "/" + url.database();
    }

    @Override
    public String toString() {
        // Never the password.
        return "DatabaseSettings[" + where() + ", user=" + user + ", poolSize=" + poolSize
                + ", startupWait=" + startupWait + ", migrateOnStart=" + migrateOnStart
                + ", statementTimeout=" + statementTimeout + "]";
    }
}
