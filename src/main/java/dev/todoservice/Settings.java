package dev.todoservice;

import dev.todoservice.auth.HashingSettings;
import dev.todoservice.auth.ThrottleSettings;
import dev.todoservice.auth.TokenSettings;
import dev.todoservice.config.AppEnvironment;
import dev.todoservice.config.Variables;
import dev.todoservice.db.DatabaseSettings;
import dev.todoservice.logging.LogSettings;
import dev.todoservice.todos.TodoSettings;
import dev.todoservice.users.UserSettings;
import dev.todoservice.web.HttpSettings;

/**
 * Every module's settings, each read and validated by its module, all of them before the service starts anything.
 *
 * @param environment the deployment mode
 * @param log         log level and format
 * @param database    where PostgreSQL is and how it is used
 * @param tokens      token signing and lifetimes
 * @param throttle    credential attempts per client and account
 * @param hashing     password hashing threads and queue
 * @param http        request deadlines, proxies, CORS, the proxy prefix
 * @param users       who may read accounts
 * @param todos       the todo quota
 */
public record Settings(AppEnvironment environment,
                       LogSettings log,
                       DatabaseSettings database,
                       TokenSettings tokens,
                       ThrottleSettings throttle,
                       HashingSettings hashing,
                       HttpSettings http,
                       UserSettings users,
                       TodoSettings todos) {

    /**
     * Reads and validates every setting.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException with a one-line, operator-facing reason naming the variable
     */
    public static Settings from(Variables variables) {
        return new Settings(variables.environment(),
                            LogSettings.from(variables),
                            DatabaseSettings.from(variables),
                            TokenSettings.from(variables),
                            ThrottleSettings.from(variables),
                            HashingSettings.from(variables),
                            HttpSettings.from(variables),
                            UserSettings.from(variables),
                            TodoSettings.from(variables));
    }
}
