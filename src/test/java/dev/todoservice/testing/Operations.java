package dev.todoservice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todoservice.json.Json;
import dev.todoservice.web.OpenApiDocument;

/** The operations of the service's OpenAPI document, the contract the route families are tested against. */
public final class Operations {

    private Operations() {
    }

    /**
     * One documented operation.
     *
     * @param method   upper-case HTTP method
     * @param path     path template, e.g. {@code /todos/{todo_id}}
     * @param secured  whether the document names a security requirement (a bearer token, possibly optional)
     * @param withBody whether it takes a request body
     */
    public record Operation(String method, String path, boolean secured, boolean withBody) {

        /**
         * The path with every parameter set to a value.
         *
         * @param value what each parameter becomes
         * @return a concrete path
         */
        public String pathWith(String value) {
            return path.replaceAll("\\{[^}]+}", value);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * Every operation of the document, in its order.
     *
     * @return the operations
     */
    public static List<Operation> all() {
        JsonNode document;
        try {
            document = Json.parse(new String(new OpenApiDocument("").json(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(operation -> {
                if (!operation.getKey().equals("parameters")) {
                    JsonNode security = operation.getValue().path("security");
                    operations.add(new Operation(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                                                 security.isArray() && !security.isEmpty(),
                                                 operation.getValue().has("requestBody")));
                }
            });
        }
        return operations;
    }
}
