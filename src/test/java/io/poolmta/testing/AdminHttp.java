package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the admin API over real HTTP with a given bearer token. */
public final class AdminHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    public AdminHttp(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The raw response: status, error type header and JSON body. */
    public record Result(int status, String errorType, JsonNode body) {}

    public Result call(String method, String path, String jsonBody) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/v1" + path))
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
