package io.poolmta.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.common.PoolMtaException;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.HttpResponse;
import io.poolmta.http.InvalidRequestException;
import io.poolmta.http.Refusals;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refusal and failure of the HTTP server, written as an SES error: {@code X-Amzn-Errortype}
 * header and a {@code {"__type": ..., "message": ...}} body, with the request id in
 * {@code x-amzn-RequestId}. Unexpected failures become a 500 InternalFailure whose details go to
 * the log only, never to the client.
 */
public final class ApiRefusals implements Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRefusals.class);

    @Override
    public String requestIdHeader() {
        return "x-amzn-RequestId";
    }

    @Override
    public HttpResponse malformed(String message) {
        return error(new ApiError("BadRequestException", 400, message));
    }

    @Override
    public HttpResponse noEndpoint(String rawPath) {
        return error(new ApiError(
                "UnknownOperationException", 404, "No API at " + rawPath + "; the SES v2 API is under /v2/email."));
    }

    @Override
    public HttpResponse bodyTooLarge(long maxBytes) {
        return error(new ApiError(
                "BadRequestException",
                400,
                "The request body is larger than the " + maxBytes + "-byte limit of this operation."));
    }

    @Override
    public HttpResponse tooManyConnections() {
        return error(new ApiError(
                "TooManyRequestsException", 429, "Too many open connections to the API; retry after a short wait."));
    }

    @Override
    public HttpResponse internalFailure(String requestId) {
        return error(ErrorMapping.internal(requestId));
    }

    @Override
    public HttpResponse failed(HttpRequest request, RuntimeException failure) {
        return switch (failure) {
            case ApiException e -> error(e.error());
            case InvalidRequestException e -> error(new ApiError("BadRequestException", 400, e.getMessage()));
            case PoolMtaException e -> error(ErrorMapping.of(e));
            default -> {
                LOG.error("request {} {} {} failed", request.requestId(), request.method(), request.rawPath(), failure);
                yield internalFailure(request.requestId());
            }
        };
    }

    static HttpResponse error(ApiError error) {
        ObjectNode body = Json.object();
        body.put("__type", error.type());
        // messages may quote user input; keep them readable whatever was sent
        String message = error.message().length() > 1024 ? error.message().substring(0, 1024) + "..." : error.message();
        body.put("message", message);
        return new HttpResponse(
                error.status(), Map.of("X-Amzn-Errortype", error.type()), "application/json", Json.bytes(body));
    }
}
