package dev.todoservice.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.todoservice.testing.Operations;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The prose contract, docs/api.md, and the OpenAPI document name the same routes. */
class ApiDocumentTest {

    // Rows of the routes table: | `METHOD /path` | ...
    private static final Pattern ROUTE_ROW = Pattern.compile("(?m)^\\| `(GET|POST|PUT|PATCH|DELETE) (/[^`]*)` \\|");
    /** The documentation's own routes: in docs/api.md for readers, not in the document they serve. */
    private static final Set<String> DOCUMENTATION = Set.of("GET /openapi.json", "GET /docs");

    @Test
    void everyRouteOfTheOpenApiDocumentIsInDocsApiMdAndNoOther() throws IOException {
        String markdown = Files.readString(Path.of("docs", "api.md"), StandardCharsets.UTF_8);
        Set<String> written = new TreeSet<>();
        Matcher row = ROUTE_ROW.matcher(markdown);
        while (row.find()) {
            written.add(row.group(1) + " " + row.group(2));
        }
        written.removeAll(DOCUMENTATION);
        Set<String> documented = new TreeSet<>();
        Operations.all().forEach(operation -> documented.add(operation.toString()));
        assertThat(written, is(documented));
    }
}
