package io.poolmta.api;

import io.poolmta.common.PoolMtaException;

/** Domain error kinds to SES error types and statuses (reference/SESV2-DEDICATED-IPS.md §2). */
public final class ErrorMapping {
    private ErrorMapping() {}

    public static ApiError of(PoolMtaException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> new ApiError("BadRequestException", 400, e.getMessage());
            case NOT_FOUND -> new ApiError("NotFoundException", 404, e.getMessage());
            case ALREADY_EXISTS -> new ApiError("AlreadyExistsException", 400, e.getMessage());
            case LIMIT_EXCEEDED -> new ApiError("LimitExceededException", 400, e.getMessage());
            case SENDING_PAUSED -> new ApiError("SendingPausedException", 400, e.getMessage());
            case MESSAGE_REJECTED, SENDER_NOT_VERIFIED -> new ApiError("MessageRejected", 400, e.getMessage());
            case MAIL_FROM_DOMAIN_NOT_VERIFIED ->
                new ApiError("MailFromDomainNotVerifiedException", 400, e.getMessage());
            case TOO_MANY_REQUESTS, THROTTLED -> new ApiError("TooManyRequestsException", 429, e.getMessage());
            case CONFLICT -> new ApiError("ConflictException", 409, e.getMessage());
        };
    }

    public static ApiError internal(String requestId) {
        return new ApiError(
                "InternalFailure",
                500,
                "PoolMTA failed to process the request (request id " + requestId
                        + "); the server log has the details.");
    }
}
