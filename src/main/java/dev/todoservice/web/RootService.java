package dev.todoservice.web;

import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The greeting routes {@code GET /} and {@code GET /hello}.
 */
public final class RootService implements HttpService {

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::root)
                .any("/", MethodNotAllowed.allowing("GET"))
                .get("/hello", this::hello)
                .any("/hello", MethodNotAllowed.allowing("GET"));
    }

    private void root(ServerRequest req, ServerResponse res) {
        Responses.send(req, res, Status.OK_200, Map.of("message", "Olá Mundo!"));
    }

    private void hello(ServerRequest req, ServerResponse res) {
        Responses.send(req, res, Status.OK_200, Map.of("message", "Hello World"));
    }
}
