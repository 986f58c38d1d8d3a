package io.poolmta.api;

/**
 * An error as it goes on the wire: the SES error type (sent in {@code X-Amzn-Errortype} and as
 * {@code __type}), the HTTP status and a message for the user.
 */
public record ApiError(String type, int status, String message) {}
