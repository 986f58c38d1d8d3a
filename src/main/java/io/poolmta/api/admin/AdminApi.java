package io.poolmta.api.admin;

import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.http.Endpoint;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.HttpResponse;
import io.poolmta.http.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Routes operator requests after checking {@code Authorization: Bearer <operator token>} in
 * constant time. Anything else, a SigV4 header included, is AccessDenied.
 */
public final class AdminApi implements Endpoint {
    public static final String PREFIX = "/admin/v1";

    private final byte[] token;
    private final Router<AdminOperation> router = new Router<>();

    public AdminApi(String operatorToken) {
        this.token = operatorToken.getBytes(StandardCharsets.UTF_8);
    }

    public AdminApi add(String method, String template, AdminOperation operation) {
        router.add(method, PREFIX + template, operation);
        return this;
    }

    @Override
    public String pathPrefix() {
        return PREFIX + "/";
    }

    @Override
    public long maxBodyBytes(String rawPath) {
        return 256 * 1024;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String presented = request.header("authorization").orElse("");
        if (!presented.startsWith("Bearer ")
                || !MessageDigest.isEqual(token, presented.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    "AccessDeniedException",
                    403,
                    "The admin API needs the operator credential (Authorization: Bearer <token> from operator.json"
                            + " in the data directory); account keys are not accepted here.");
        }
        Router.Match<AdminOperation> match = router.match(request.method(), request.rawPath())
                .orElseThrow(() -> new ApiException(
                        "UnknownOperationException",
                        404,
                        "No admin operation " + request.method() + " " + request.rawPath() + "."));
        return HttpResponse.json(
                200,
                Json.bytes(match.handler().handle(match.labels(), request.query(), JsonInput.parse(request.body()))));
    }
}
