package io.poolmta.common;

/**
 * A failure the caller can act on: bad input, a missing resource, a rule that forbids the change.
 * Its message is written for the user and is sent to them verbatim, so it never contains internals.
 */
public final class PoolMtaException extends RuntimeException {
    private final ErrorKind kind;

    public PoolMtaException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static PoolMtaException badRequest(String message) {
        return new PoolMtaException(ErrorKind.BAD_REQUEST, message);
    }

    public static PoolMtaException notFound(String message) {
        return new PoolMtaException(ErrorKind.NOT_FOUND, message);
    }

    public static PoolMtaException alreadyExists(String message) {
        return new PoolMtaException(ErrorKind.ALREADY_EXISTS, message);
    }

    public static PoolMtaException limitExceeded(String message) {
        return new PoolMtaException(ErrorKind.LIMIT_EXCEEDED, message);
    }
}
