package dev.todoservice.config;

import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The listeners are Helidon's {@code server} section; their long-standing variables still set them. */
class AppConfigTest {

    private static String value(Config config, String key) {
        return config.get(key).asString().orElse("unset");
    }

    @Test
    void listenersDefaultToLoopbackOn8080And8081() {
        Config config = AppConfig.load(Map.of());
        assertThat(value(config, "server.port"), is("8080"));
        assertThat(value(config, "server.host"), is("127.0.0.1"));
        assertThat(value(config, "server.sockets.admin.port"), is("8081"));
        assertThat(value(config, "server.sockets.admin.host"), is("127.0.0.1"));
    }

    @Test
    void portHostAndAdminVariablesSetTheListeners() {
        Config config = AppConfig.load(Map.of("PORT", "9090", "ADMIN_PORT", "9091", "ADMIN_HOST", "0.0.0.0",
                                              "SERVER_HOST", "0.0.0.0"));
        assertThat(value(config, "server.port"), is("9090"));
        assertThat(value(config, "server.host"), is("0.0.0.0"));
        assertThat(value(config, "server.sockets.admin.port"), is("9091"));
        assertThat(value(config, "server.sockets.admin.host"), is("0.0.0.0"));
    }

    @Test
    void otherServerKeysFollowHelidonsMapping() {
        Config config = AppConfig.load(Map.of("SERVER_MAX_DASH_CONCURRENT_DASH_REQUESTS", "512"));
        assertThat(value(config, "server.max-concurrent-requests"), is("512"));
    }

    @ParameterizedTest
    @CsvSource({"PORT, 70000", "PORT, http", "ADMIN_PORT, -1"})
    void aPortThatIsNoPortIsRefusedNamingTheVariable(String name, String value) {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                                                        () -> AppConfig.load(Map.of(name, value)));
        assertThat(failure.getMessage(), containsString(name + " must be a port"));
    }
}
