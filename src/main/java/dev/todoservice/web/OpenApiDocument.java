package dev.todoservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.todoservice.json.Json;
import io.helidon.openapi.OpenApiFormat;
import io.helidon.openapi.OpenApiManager;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The OpenAPI document in {@code META-INF/openapi.yaml}, with its {@code servers} entry set to the prefix a proxy
 * strips ({@code ROOT_PATH}), so "Try it out" in Swagger UI works both directly and behind Caddy.
 */
public final class OpenApiDocument implements OpenApiManager<Map<String, Object>> {

    private final String rootPath;
    private volatile byte[] json;

    /**
     * Creates the manager.
     *
     * @param rootPath the proxy prefix, empty when none
     */
    public OpenApiDocument(String rootPath) {
        this.rootPath = rootPath;
    }

    @Override
    public String name() {
        return "todo-service";
    }

    @Override
    public String type() {
        return "todo-service";
    }

    @Override
    public Map<String, Object> load(String content) {
        Map<String, Object> model = new Yaml(new SafeConstructor(new LoaderOptions())).load(content);
        Map<String, Object> ordered = new LinkedHashMap<>(model);
        ordered.put("servers", List.of(Map.of("url", rootPath.isEmpty() ? "/" : rootPath)));
        return ordered;
    }

    @Override
    public String format(Map<String, Object> model, OpenApiFormat format) {
        if (format == OpenApiFormat.YAML) {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options).dump(model);
        }
        return new String(Json.bytes(model), StandardCharsets.UTF_8);
    }

    /**
     * The document as JSON, loaded once from the classpath.
     *
     * @return UTF-8 JSON
     */
    public byte[] json() {
        byte[] cached = json;
        if (cached == null) {
            try (InputStream in = OpenApiDocument.class.getResourceAsStream("/META-INF/openapi.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("META-INF/openapi.yaml is missing from the jar");
                }
                cached = format(load(new String(in.readAllBytes(), StandardCharsets.UTF_8)), OpenApiFormat.JSON)
                        .getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json = cached;
        }
        return cached;
    }
}
