package dev.todoservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The OpenAPI document at {@code GET /openapi.json} and {@code GET /openapi} (YAML, or JSON when asked for by
 * {@code Accept} or {@code ?format=json}), and Swagger UI at {@code GET /docs}, served from the jar (no CDN). Links are
 * relative, so the page works at {@code /docs} and behind a proxy at {@code /api/docs}.
 * <p>
 * Only the files the page loads are served from the {@code org.webjars:swagger-ui} jar, not its demo
 * {@code index.html}, its Petstore initializer or its OAuth2 redirect page, and the page runs under a
 * Content-Security-Policy that lets it load nothing but this service's own files.
 */
public final class DocsService implements HttpService {

    /** The page's policy: scripts, styles and requests from this service only; no inline code, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> UI_FILES = Map.of(
            "swagger-ui-bundle.js", "text/javascript; charset=UTF-8",
            "swagger-ui.css", "text/css; charset=UTF-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");
    private static final HeaderName CONTENT_SECURITY_POLICY_HEADER = HeaderNames.create("Content-Security-Policy");
    // What /openapi negotiates, most preferred first: YAML unless the client asks for JSON.
    private static final MediaType[] OPENAPI_TYPES = {
        MediaTypes.APPLICATION_OPENAPI_YAML, MediaTypes.APPLICATION_X_YAML, MediaTypes.APPLICATION_YAML,
        MediaTypes.APPLICATION_OPENAPI_JSON, MediaTypes.APPLICATION_JSON, MediaTypes.TEXT_X_YAML, MediaTypes.TEXT_YAML};
    private static final Map<String, MediaType> OPENAPI_FORMATS = Map.of(
            "json", MediaTypes.APPLICATION_JSON,
            "yaml", MediaTypes.APPLICATION_OPENAPI_YAML,
            "yml", MediaTypes.APPLICATION_OPENAPI_YAML);
    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>todo-service API</title>
              <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
              <link rel="icon" type="image/png" href="docs/favicon-16x16.png" sizes="16x16">
              <link rel="stylesheet" href="docs/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="docs/swagger-ui-bundle.js"></script>
              <script src="docs/init.js"></script>
            </body>
            </html>
            """;
    // The document's URL is relative to the page (/docs or /api/docs); no online validator badge, which would
    // send the document's address to a third party.
    private static final String INIT = """
            window.ui = SwaggerUIBundle({
              url: new URL("openapi.json", window.location.href).href,
              dom_id: "#swagger-ui",
              deepLinking: true,
              validatorUrl: null,
              presets: [SwaggerUIBundle.presets.apis],
              layout: "BaseLayout"
            });
            """;

    private final OpenApiDocument document;
    private final String uiRoot;
    private final String uiVersion;

    /**
     * Creates the service.
     *
     * @param document the OpenAPI document
     * @param swaggerUiVersion the version of the {@code org.webjars:swagger-ui} jar on the classpath
     */
    public DocsService(OpenApiDocument document, String swaggerUiVersion) {
        this.document = document;
        this.uiRoot = "/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion + "/";
        this.uiVersion = swaggerUiVersion;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi.json", this::openApiJson)
                .any("/openapi.json", MethodNotAllowed.allowing("GET"))
                .get("/openapi", this::openApi)
                .get("/docs", this::page)
                .any("/docs", MethodNotAllowed.allowing("GET"))
                .get("/docs/init.js", this::init)
                .get("/docs/{file}", this::uiFile);
    }

    private void openApiJson(ServerRequest req, ServerResponse res) {
        Responses.stamp(req, res);
        res.header(Responses.CONTENT_TYPE).send(document.json());
    }

    // As Helidon's OpenAPI feature answers it: ?format=json|yaml|yml, else the best of the accepted types; nothing
    // acceptable is 404.
    private void openApi(ServerRequest req, ServerResponse res) {
        MediaType type = req.query().first("format")
                .map(format -> Optional.ofNullable(OPENAPI_FORMATS.get(format.toLowerCase(Locale.ROOT)))
                        .orElseThrow(() -> new BadRequestException("Unsupported format: " + format)))
                .or(() -> req.headers().bestAccepted(OPENAPI_TYPES))
                .orElseThrow(() -> new NotFoundException("No acceptable OpenAPI format"));
        boolean json = type.subtype().endsWith("json");
        Responses.stamp(req, res);
        res.header(HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF).headers().contentType(HttpMediaType.create(type));
        res.send(json ? document.json() : document.yaml().getBytes(StandardCharsets.UTF_8));
    }

    private void page(ServerRequest req, ServerResponse res) {
        Responses.stamp(req, res);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8")
                .header(CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY)
                .status(Status.OK_200)
                .send(PAGE);
    }

    private void init(ServerRequest req, ServerResponse res) {
        Responses.stamp(req, res);
        res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=UTF-8").send(INIT);
    }

    // Streamed from the jar on each request: nothing held in memory, nothing extracted to disk. The files of one
    // webjar version never change, so the version names them for caches.
    private void uiFile(ServerRequest req, ServerResponse res) {
        String file = req.path().pathParameters().get("file");
        String contentType = UI_FILES.get(file);
        if (contentType == null) {
            throw new NotFoundException("No such file");
        }
        String etag = '"' + uiVersion + '-' + file + '"';
        Responses.stamp(req, res);
        res.header(HeaderNames.ETAG, etag).header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).filter(etag::equals).isPresent()) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        try (InputStream in = DocsService.class.getResourceAsStream(uiRoot + file)) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui lacks " + file);
            }
            res.header(HeaderNames.CONTENT_TYPE, contentType);
            try (OutputStream out = res.outputStream()) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
