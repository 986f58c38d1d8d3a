package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BiFunction;

/**
 * Calls the admin API over real HTTP with a given bearer token; or, for a test cluster, at the node
 * (and with its token) a function picks for each call's method and path.
 */
public final class AdminHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BiFunction<String, String, Endpoint> route;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Where one call goes: a node's API base URL and its operator token (null: none). */
    public record Endpoint(String baseUrl, String token) {}

    public AdminHttp(String baseUrl, String token) {
        this((method, path) -> new Endpoint(baseUrl, token));
    }

    /** Each call goes where {@code route} says for its method and path. */
    public AdminHttp(BiFunction<String, String, Endpoint> route) {
        this.route = route;
    }

    /** The raw response: status, error type header and JSON body. */
    public record Result(int status, String errorType, JsonNode body) {}

    public Result call(String method, String path, String jsonBody) {
        Endpoint to = route.apply(method, path);
        String token = to.token();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.baseUrl() + "/admin/v1" + path))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            jsonBody == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(jsonBody));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
            return new Result(
                    r.statusCode(), r.headers().firstValue("X-Amzn-Errortype").orElse(null), body);
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    /** Calls and requires HTTP 200. */
    public JsonNode ok(String method, String path, String jsonBody) {
        Result r = call(method, path, jsonBody);
        if (r.status() != 200) {
            throw new AssertionError(
                    "admin " + method + " " + path + " answered " + r.status() + " " + r.errorType() + ": " + r.body());
        }
        return r.body();
    }
}
