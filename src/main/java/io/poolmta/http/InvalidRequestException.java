package io.poolmta.http;

/**
 * A request an endpoint cannot take as it was sent (a path or query string that is not correctly
 * percent-encoded, a query parameter of the wrong type): the client's mistake, which the
 * application's {@link Refusals} answers as a bad request with this message.
 */
public final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
