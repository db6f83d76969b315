package dev.todoservice.web;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.todoservice.db.DatabaseUnavailableException;
import dev.todoservice.db.StatementTimeoutException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Turns every failure into the contract's error body; unexpected ones are logged with the request id and answered
 * 500 without details.
 */
public final class ErrorHandling {

    private static final Logger LOGGER = Logger.getLogger(ErrorHandling.class.getName());
    private static final Status UNPROCESSABLE_ENTITY = Status.create(422, "Unprocessable Entity");

    private ErrorHandling() {
    }

    /**
     * Registers the handlers on a routing.
     *
     * @param routing the routing
     */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorHandling::apiError)
                .error(ValidationException.class, ErrorHandling::validation)
                .error(DatabaseUnavailableException.class, ErrorHandling::databaseUnavailable)
                .error(StatementTimeoutException.class, ErrorHandling::statementTimeout)

                .error(NotFoundException.class, ErrorHandling::noRoute)
                .error(HttpException.class, ErrorHandling::httpError)
                .error(Throwable.class, ErrorHandling::unexpected);
    }

    private static void apiError(ServerRequest req, ServerResponse res, ApiException e) {
        if (e.status() == Status.UNAUTHORIZED_401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.retryAfter().isPresent()) {
            // Whole seconds, rounded up: a client that waits exactly this long is let in.
            res.header(HeaderNames.RETRY_AFTER,
                       Long.toString(Math.max(1, (e.retryAfter().get().toMillis() + 999) / 1000)));
        } else if (e.status() == Status.SERVICE_UNAVAILABLE_503) {
            res.header(HeaderNames.RETRY_AFTER, "1");
        }
        if (e.closeConnection()) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        Json.detail(req, res, e.status(), e.detail());
    }

    private static void validation(ServerRequest req, ServerResponse res, ValidationException e) {
        Json.send(req, res, UNPROCESSABLE_ENTITY, Map.of("detail", e.violations()));
    }

    private static void databaseUnavailable(ServerRequest req, ServerResponse res, DatabaseUnavailableException e) {
        res.header(HeaderNames.RETRY_AFTER, "1");
        Json.detail(req, res, Status.SERVICE_UNAVAILABLE_503, "Service Unavailable");
    }

    // One expensive request, not an outage: the database stays available to everyone else.
    private static void statementTimeout(ServerRequest req, ServerResponse res, StatementTimeoutException e) {
        res.header(HeaderNames.RETRY_AFTER, "5");
        Json.detail(req, res, Status.SERVICE_UNAVAILABLE_503, "Request took too long; retry later or narrow it");
    }

    private static void noRoute(ServerRequest req, ServerResponse res, NotFoundException e) {
        req.context().register(new RequestLogFilter.Unmatched());
        Json.detail(req, res, Status.NOT_FOUND_404, "Not Found");
    }

    private static void httpError(ServerRequest req, ServerResponse res, HttpException e) {
        if (e.status().code() >= 500) {
            unexpected(req, res, e);
            return;
        }
        Json.detail(req, res, e.status(), e.status().reasonPhrase());
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        String id = req.context().get(RequestInfo.class).map(RequestInfo::id).orElse("-");
        LOGGER.log(Level.SEVERE, "Unhandled error in " + req.prologue().method().text() + " "
                + req.path().absolute().rawPath() + " (request " + id + ")", e);
        Json.detail(req, res, Status.INTERNAL_SERVER_ERROR_500, "Internal Server Error");
    }
}
