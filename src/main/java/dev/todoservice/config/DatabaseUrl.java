package dev.todoservice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL location parsed from {@code DATABASE_URL}, with the credentials kept apart from the JDBC URL so the URL
 * can be logged. Accepts {@code postgresql://}, {@code postgres://}, SQLAlchemy-style {@code postgresql+driver://} and
 * {@code jdbc:postgresql://} forms.
 *
 * @param jdbcUrl  JDBC URL without user or password
 * @param user     user name, if the URL carried one
 * @param password password, if the URL carried one
 * @param host     host and port, for logs
 * @param database database name, for logs
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password, String host,
                          String database) {

    /**
     * Parses a database URL.
     *
     * @param url the URL in one of the accepted forms
     * @return the parsed location
     * @throws IllegalArgumentException when the URL is not a PostgreSQL URL
     */
    public static DatabaseUrl parse(String url) {
        String trimmed = url.strip();
        String withoutJdbc = trimmed.startsWith("jdbc:") ? trimmed.substring("jdbc:".length()) : trimmed;
        int schemeEnd = withoutJdbc.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("DATABASE_URL must look like postgresql://user:password@host:5432/db");
        }
        String scheme = withoutJdbc.substring(0, schemeEnd);
        if (!(scheme.equals("postgresql") || scheme.equals("postgres") || scheme.startsWith("postgresql+"))) {
            throw new IllegalArgumentException("DATABASE_URL must be a PostgreSQL URL, not " + scheme + "://");
        }
        URI uri;
        try {
            uri = new URI("postgresql" + withoutJdbc.substring(schemeEnd));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0])).filter(s -> !s.isEmpty());
            password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
        }
        List<String> query = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String param : uri.getRawQuery().split("&")) {
                String name = param.split("=", 2)[0];
                String value = param.contains("=") ? decode(param.split("=", 2)[1]) : "";
                switch (name) {
                    case "user" -> user = Optional.of(value);
                    case "password" -> password = Optional.of(value);
                    default -> query.add(param);
                }
            }
        }
        String hostPort = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String jdbcUrl = "jdbc:postgresql://" + hostPort + path
                + (query.isEmpty() ? "" : "?" + String.join("&", query));
        return new DatabaseUrl(jdbcUrl, user, password, hostPort, decode(path.substring(1)));
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
