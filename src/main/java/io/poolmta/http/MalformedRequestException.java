package io.poolmta.http;

/**
 * A request that is not HTTP as {@link HttpConnection} takes it (RFC 9112): it is answered with
 * {@link Refusals#malformed} and this message, and the connection is closed.
 */
final class MalformedRequestException extends Exception {
    MalformedRequestException(String message) {
        super(message, null, false, false);
    }
}
