package dev.todoservice.web;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.todoservice.testing.Env.failure;
import static dev.todoservice.testing.Env.production;
import static dev.todoservice.testing.Env.variables;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class HttpSettingsTest {

    private static HttpSettings load(String... keyValues) {
        return HttpSettings.from(variables(production(keyValues)));
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        HttpSettings settings = load();
        assertThat(settings.headerTimeout(), is(Duration.ofSeconds(10)));
        assertThat(settings.bodyTimeout(), is(Duration.ofSeconds(30)));
        assertThat(settings.bodyBufferBytes(), is(16 << 20));
        assertThat(settings.shutdownDelay(), is(Duration.ofSeconds(3)));
        assertThat(settings.rootPath(), is(""));
    }

    @Test
    void deadlinesAndTheShutdownDelayAreDurations() {
        HttpSettings settings = load("REQUEST_HEADER_TIMEOUT", "1500ms", "REQUEST_BODY_TIMEOUT", "2m",
                                     "SHUTDOWN_DELAY", "0s");
        assertThat(settings.headerTimeout(), is(Duration.ofMillis(1500)));
        assertThat(settings.bodyTimeout(), is(Duration.ofMinutes(2)));
        assertThat(settings.shutdownDelay(), is(Duration.ZERO));
    }

    @ParameterizedTest
    @CsvSource({"REQUEST_HEADER_TIMEOUT, 10", "REQUEST_HEADER_TIMEOUT, 500ms", "REQUEST_BODY_TIMEOUT, 2h",
            "SHUTDOWN_DELAY, 61s", "REQUEST_BODY_BUFFER_MB, 0", "ROOT_PATH, api", "TRUSTED_PROXIES, not-an-ip"})
    void invalidValueIsRefusedNamingTheVariable(String name, String value) {
        assertThat(failure(HttpSettings::from, production(name, value)), containsString(name));
    }

    @Test
    void trustedProxiesDefaultToLoopbackOnlyAndCanBeNone() {
        HttpSettings defaults = load();
        assertThat(defaults.trustedProxies().trusts("127.0.0.1"), is(true));
        assertThat(defaults.trustedProxies().trusts("::1"), is(true));
        assertThat(defaults.trustedProxies().trusts("10.1.2.3"), is(false));
        assertThat(defaults.trustedProxies().trusts("192.168.1.1"), is(false));
        assertThat(load("TRUSTED_PROXIES", "none").trustedProxies().trusts("127.0.0.1"), is(false));
        assertThat(load("TRUSTED_PROXIES", "10.89.0.0/24").trustedProxies().trusts("10.89.0.7"), is(true));
    }

    @Test
    void rootPathLosesItsTrailingSlash() {
        assertThat(load("ROOT_PATH", "/api/").rootPath(), is("/api"));
    }

    @Test
    void corsAllowsNoOriginByDefault() {
        assertThat(load().corsAllowedOrigins(), is(List.of()));
    }

    @Test
    void corsOriginsAreBroughtIntoTheFormBrowsersSend() {
        HttpSettings settings = load("CORS_ALLOWED_ORIGINS",
                                     " HTTPS://App.Example.com:443 ,http://localhost:5173,http://[::1]:80,");
        assertThat(settings.corsAllowedOrigins(),
                   is(List.of("https://app.example.com", "http://localhost:5173", "http://[::1]")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://app.example.com/          | must look like https://app.example.com",
            "https://app.example.com/path      | must look like https://app.example.com",
            "app.example.com                   | must look like https://app.example.com",
            "ftp://app.example.com             | must look like https://app.example.com",
            "https://user@app.example.com      | must look like https://app.example.com",
            "https://*.example.com             | must look like https://app.example.com",
            "'*,https://app.example.com'       | either * alone or a list of origins"})
    void corsOriginsThatNoBrowserSendsAreRejected(String value, String message) {
        assertThat(failure(HttpSettings::from, production("CORS_ALLOWED_ORIGINS", value)), containsString(message));
    }
}
