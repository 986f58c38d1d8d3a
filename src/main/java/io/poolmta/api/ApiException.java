package io.poolmta.api;

/** Raised by the HTTP edge itself (authentication, routing, body limits) with its wire error. */
public final class ApiException extends RuntimeException {
    private final ApiError error;

    public ApiException(String type, int status, String message) {
        super(message, null, false, false);
        this.error = new ApiError(type, status, message);
    }

    public ApiError error() {
        return error;
    }

    public static ApiException badRequest(String message) {
        return new ApiException("BadRequestException", 400, message);
    }
}
