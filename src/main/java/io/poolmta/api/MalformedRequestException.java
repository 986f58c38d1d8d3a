package io.poolmta.api;

/**
 * A request that is not HTTP as {@link HttpConnection} takes it (RFC 9112): it is answered 400
 * BadRequestException with this message, and the connection is closed.
 */
final class MalformedRequestException extends Exception {
    MalformedRequestException(String message) {
        super(message, null, false, false);
    }
}
