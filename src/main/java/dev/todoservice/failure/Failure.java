package dev.todoservice.failure;

import java.time.Duration;
import java.util.Optional;

/**
 * A request the service will not carry out, in the domain's terms: repositories, services and security code throw it,
 * and the web layer alone turns its {@link Kind} into the contract's status and {@code {"detail": message}} body.
 * It carries no stack trace: it is an answer, not a defect.
 */
public final class Failure extends RuntimeException {

    /** What went wrong, each kind answered with one HTTP status. */
    public enum Kind {
        /** No valid credentials: 401 with {@code WWW-Authenticate: Bearer}. */
        UNAUTHENTICATED,
        /** Valid credentials that do not allow this: 403. */
        FORBIDDEN,
        /** Nothing there for this caller: 404. */
        NOT_FOUND,
        /** The state does not allow it (a name taken, a request still running): 409. */
        CONFLICT,
        /** Well-formed input the request cannot be carried out with: 422. */
        UNPROCESSABLE,
        /** Too many attempts: 429 with {@code Retry-After}. */
        TOO_MANY_REQUESTS,
        /** Not now (overload, the database away): 503 with {@code Retry-After}. */
        UNAVAILABLE
    }

    private static final String SERVICE_UNAVAILABLE = "Service Unavailable";

    private final Kind kind;
    private final Duration retryAfter;

    private Failure(Kind kind, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    /**
     * A request without valid credentials.
     *
     * @param detail the contract's message
     * @return the failure
     */
    public static Failure unauthenticated(String detail) {
        return new Failure(Kind.UNAUTHENTICATED, detail, null, null);
    }

    /**
     * A request without credentials (no {@code Authorization: Bearer} header).
     *
     * @return the failure
     */
    public static Failure notAuthenticated() {
        return unauthenticated("Not authenticated");
    }

    /**
     * A token that does not check out: malformed, expired, revoked, or of an account that is gone.
     *
     * @return the failure
     */
    public static Failure invalidCredentials() {
        return unauthenticated("Could not validate credentials");
    }

    /**
     * Valid credentials that do not allow this request.
     *
     * @param detail the contract's message
     * @return the failure
     */
    public static Failure forbidden(String detail) {
        return new Failure(Kind.FORBIDDEN, detail, null, null);
    }

    /**
     * Nothing there for this caller: missing, or someone else's.
     *
     * @param detail the route's not-found message
     * @return the failure
     */
    public static Failure notFound(String detail) {
        return new Failure(Kind.NOT_FOUND, detail, null, null);
    }

    /**
     * A request the current state does not allow.
     *
     * @param detail the contract's message
     * @return the failure
     */
    public static Failure conflict(String detail) {
        return new Failure(Kind.CONFLICT, detail, null, null);
    }

    /**
     * Well-formed input the request cannot be carried out with.
     *
     * @param detail the contract's message
     * @return the failure
     */
    public static Failure unprocessable(String detail) {
        return new Failure(Kind.UNPROCESSABLE, detail, null, null);
    }

    /**
     * Too many attempts; the client may try again after the given time.
     *
     * @param retryAfter how long to wait
     * @return the failure
     */
    public static Failure tooManyRequests(Duration retryAfter) {
        return new Failure(Kind.TOO_MANY_REQUESTS, "Too many requests", retryAfter, null);
    }

    /**
     * A moment of overload or an unreachable database; the client should retry after the given time.
     *
     * @param retryAfter how long to wait
     * @param cause      what failed, or null
     * @return the failure, with the contract's generic message
     */
    public static Failure unavailable(Duration retryAfter, Throwable cause) {
        return unavailable(SERVICE_UNAVAILABLE, retryAfter, cause);
    }

    /**
     * A request that cannot be served now, with its own message.
     *
     * @param detail     the contract's message
     * @param retryAfter how long to wait
     * @param cause      what failed, or null
     * @return the failure
     */
    public static Failure unavailable(String detail, Duration retryAfter, Throwable cause) {
        return new Failure(Kind.UNAVAILABLE, detail, retryAfter, cause);
    }

    /**
     * What went wrong.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The contract's message.
     *
     * @return the detail text
     */
    public String detail() {
        return getMessage();
    }

    /**
     * How long the client should wait before trying again, when waiting helps.
     *
     * @return the wait, if any
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
