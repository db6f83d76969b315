package dev.todoservice.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.todoservice.config.TrustedProxies;
import dev.todoservice.config.Variables;

/**
 * How the public listener treats requests: {@code REQUEST_HEADER_TIMEOUT}, {@code REQUEST_BODY_TIMEOUT},
 * {@code REQUEST_BODY_BUFFER_MB}, {@code SHUTDOWN_DELAY}, {@code TRUSTED_PROXIES}, {@code CORS_ALLOWED_ORIGINS} and
 * {@code ROOT_PATH}. The listeners themselves (ports, addresses, connection limits, grace periods) are Helidon's
 * {@code server} section of {@code application.yaml}.
 *
 * @param headerTimeout      longest time from a request line to the end of its headers
 * @param bodyTimeout        longest time from the end of the headers to the end of the body
 * @param bodyBufferBytes    the most request body bytes held at once, across all requests
 * @param shutdownDelay      how long the service keeps serving, not ready, after SIGTERM before it drains and stops
 * @param trustedProxies     peers whose forwarded headers are believed
 * @param corsAllowedOrigins browser origins allowed to call the API ({@code scheme://host[:port]}), or just {@code *}
 *                           for any; empty when cross-origin calls are not allowed
 * @param rootPath           the prefix a proxy strips, for the OpenAPI {@code servers} entry; empty when none
 */
public record HttpSettings(Duration headerTimeout,
                           Duration bodyTimeout,
                           int bodyBufferBytes,
                           Duration shutdownDelay,
                           TrustedProxies trustedProxies,
                           List<String> corsAllowedOrigins,
                           String rootPath) {

    /**
     * Reads and validates the settings.
     *
     * @param variables the environment
     * @return the settings
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static HttpSettings from(Variables variables) {
        String proxies = variables.required("TRUSTED_PROXIES");
        return new HttpSettings(
                variables.duration("REQUEST_HEADER_TIMEOUT", Duration.ofSeconds(1), Duration.ofMinutes(10)),
                variables.duration("REQUEST_BODY_TIMEOUT", Duration.ofSeconds(1), Duration.ofHours(1)),
                variables.integer("REQUEST_BODY_BUFFER_MB", 1, 1024) << 20,
                variables.duration("SHUTDOWN_DELAY", Duration.ZERO, Duration.ofMinutes(1)),
                // An empty value means "use the default", so trusting nobody is spelled "none".
                TrustedProxies.parse(proxies.equalsIgnoreCase("none") ? "" : proxies),
                corsOrigins(variables.optional("CORS_ALLOWED_ORIGINS").orElse("")),
                rootPath(variables.optional("ROOT_PATH").orElse("")));
    }

    private static String rootPath(String value) {
        String path = value.strip();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("ROOT_PATH must start with '/', e.g. /api, not '" + value + "'");
        }
        return path;
    }

    // Browsers send an Origin as scheme://host[:port], lower case, without the scheme's default port: configured
    // values are brought into that form so that they compare equal.
    private static List<String> corsOrigins(String value) {
        List<String> origins = new ArrayList<>();
        for (String entry : value.split(",")) {
            String origin = entry.strip();
            if (!origin.isEmpty()) {
                origins.add(origin.equals("*") ? origin : origin(origin));
            }
        }
        if (origins.contains("*") && origins.size() > 1) {
            throw new IllegalArgumentException("CORS_ALLOWED_ORIGINS is either * alone or a list of origins, not both");
        }
        return List.copyOf(origins);
    }

    private static String origin(String value) {
        String problem = "CORS_ALLOWED_ORIGINS entries must look like https://app.example.com or http://localhost:5173,"
                + " not '" + value + "'";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = uri.getRawPath() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
            throw new IllegalArgumentException(problem);
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (port == -1 || port == defaultPort ? "" : ":" + port);
    }
}
