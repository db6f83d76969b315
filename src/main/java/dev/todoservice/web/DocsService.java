package dev.todoservice.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * {@code GET /openapi.json} and Swagger UI at {@code GET /docs}, served from the jar (no CDN). Links are relative,
 * so the page works at {@code /docs} and behind a proxy at {@code /api/docs}.
 */
public final class DocsService implements HttpService {

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>todo-service API</title>
              <link rel="stylesheet" href="docs/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="docs/swagger-ui-bundle.js"></script>
              <script src="docs/swagger-ui-standalone-preset.js"></script>
              <script src="docs/init.js"></script>
            </body>
            </html>
            """;
    private static final String INIT = """
            window.ui = SwaggerUIBundle({
              url: new URL("openapi.json", window.location.href.replace(/\\/docs\\/?$/, "/")).href,
              dom_id: "#swagger-ui",
              deepLinking: true,
              presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
              layout: "StandaloneLayout"
            });
            """;

    private final OpenApiDocument document;
    private final StaticContentService swaggerUi;

    /**
     * Creates the service.
     *
     * @param document the OpenAPI document
     * @param swaggerUiVersion the version of the {@code org.webjars:swagger-ui} jar on the classpath
     */
    public DocsService(OpenApiDocument document, String swaggerUiVersion) {
        this.document = document;
        this.swaggerUi = StaticContentService.builder("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion)
                .build();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi.json", this::openApi)
                .any("/openapi.json", MethodNotAllowed.allowing("GET"))
                .get("/docs", this::page)
                .any("/docs", MethodNotAllowed.allowing("GET"))
                .get("/docs/init.js", this::init)
                .register("/docs", swaggerUi);
    }

    private void openApi(ServerRequest req, ServerResponse res) {
        Json.stamp(req, res);
        res.header(Json.CONTENT_TYPE).send(document.json());
    }

    private void page(ServerRequest req, ServerResponse res) {
        Json.stamp(req, res);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8").status(Status.OK_200).send(PAGE);
    }

    private void init(ServerRequest req, ServerResponse res) {
        Json.stamp(req, res);
        res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=UTF-8").send(INIT);
    }
}
