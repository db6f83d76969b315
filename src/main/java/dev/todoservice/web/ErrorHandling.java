package dev.todoservice.web;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.todoservice.failure.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The one place failures become the contract's answers: the domain's {@link Failure}s by their kind, invalid input as
 * 422 with its violations, refused requests with a closed connection; unexpected ones are logged with the request id
 * and answered 500 without details.
 */
public final class ErrorHandling {

    private static final Logger LOGGER = Logger.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    /**
     * Registers the handlers on a routing.
     *
     * @param routing the routing
     */
    public static void register(HttpRouting.Builder routing) {
        routing.error(Failure.class, ErrorHandling::failure)
                .error(ValidationException.class, ErrorHandling::validation)
                .error(RequestRefused.class, ErrorHandling::refused)
                .error(NotFoundException.class, ErrorHandling::noRoute)
                .error(HttpException.class, ErrorHandling::httpError)
                .error(Throwable.class, ErrorHandling::unexpected);
    }

    private static void failure(ServerRequest req, ServerResponse res, Failure e) {
        Status status = switch (e.kind()) {
            case UNAUTHENTICATED -> Status.UNAUTHORIZED_401;
            case FORBIDDEN -> Status.FORBIDDEN_403;
            case NOT_FOUND -> Status.NOT_FOUND_404;
            case CONFLICT -> Status.CONFLICT_409;
            case UNPROCESSABLE -> Status.UNPROCESSABLE_CONTENT_422;
            case TOO_MANY_REQUESTS -> Status.TOO_MANY_REQUESTS_429;
            case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE_503;
        };
        if (e.kind() == Failure.Kind.UNAUTHENTICATED) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        // Whole seconds, rounded up: a client that waits exactly this long is let in.
        e.retryAfter().ifPresent(wait -> res.header(HeaderNames.RETRY_AFTER,
                                                    Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
        Responses.detail(req, res, status, e.detail());
    }

    private static void validation(ServerRequest req, ServerResponse res, ValidationException e) {
        Responses.send(req, res, Status.UNPROCESSABLE_CONTENT_422, Map.of("detail", e.violations()));
    }

    private static void refused(ServerRequest req, ServerResponse res, RequestRefused e) {
        if (e.status().code() == Status.SERVICE_UNAVAILABLE_503.code()) {
            res.header(HeaderNames.RETRY_AFTER, "1");
        }
        res.header(HeaderValues.CONNECTION_CLOSE);
        Responses.detail(req, res, e.status(), e.getMessage());
    }

    private static void noRoute(ServerRequest req, ServerResponse res, NotFoundException e) {
        req.context().register(new RequestLogFilter.Unmatched());
        Responses.detail(req, res, Status.NOT_FOUND_404, "Not Found");
    }

    private static void httpError(ServerRequest req, ServerResponse res, HttpException e) {
        if (e.status().code() >= 500) {
            unexpected(req, res, e);
            return;
        }
        Responses.detail(req, res, e.status(), e.status().reasonPhrase());
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        String id = req.context().get(RequestInfo.class).map(RequestInfo::id).orElse("-");
        LOGGER.log(Level.SEVERE, "Unhandled error in " + req.prologue().method().text() + " "
                + req.path().absolute().rawPath() + " (request " + id + ")", e);
        Responses.detail(req, res, Status.INTERNAL_SERVER_ERROR_500, "Internal Server Error");
    }
}
