package dev.todoservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.todoservice.json.Json;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The OpenAPI document in {@code META-INF/openapi.yaml}, with its {@code servers} entry set to the prefix a proxy
 * strips ({@code ROOT_PATH}), so "Try it out" in Swagger UI works both directly and behind Caddy. Read once, at
 * start-up, and kept as JSON and as YAML.
 */
public final class OpenApiDocument {

    private final byte[] json;
    private final String yaml;

    /**
     * Reads the document.
     *
     * @param rootPath the proxy prefix, empty when none
     */
    public OpenApiDocument(String rootPath) {
        Map<String, Object> source = new Yaml(new SafeConstructor(new LoaderOptions())).load(read());
        Map<String, Object> model = new LinkedHashMap<>(source);
        model.put("servers", List.of(Map.of("url", rootPath.isEmpty() ? "/" : rootPath)));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        this.json = Json.bytes(model);
        this.yaml = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options).dump(model);
    }

    /**
     * The document as JSON.
     *
     * @return UTF-8 JSON
     */
    public byte[] json() {
        return json.clone();
    }

    /**
     * The document as YAML.
     *
     * @return YAML text
     */
    public String yaml() {
        return yaml;
    }

    private static String read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("META-INF/openapi.yaml is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
