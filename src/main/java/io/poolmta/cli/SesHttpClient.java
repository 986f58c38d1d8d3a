package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.api.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A minimal SES v2 client for PoolMTA's own commands (demo, benchmarks): SigV4-signed JSON over HTTP. */
public final class SesHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final SigV4Signer signer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SesHttpClient(String baseUrl, String accessKeyId, String secret) {
        this.baseUrl = baseUrl;
        this.signer = new SigV4Signer(accessKeyId, secret, "us-east-1", Clock.systemUTC());
    }

    /** Calls an operation; a non-200 answer throws with the SES error type and message. */
    public JsonNode call(String method, String path, JsonNode body) {
        try {
            byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            URI uri = URI.create(baseUrl + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
            signer.sign(method, uri, Map.of("content-type", "application/json"), bytes)
                    .forEach(request::header);
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new CliException(
                        response.headers().firstValue("X-Amzn-Errortype").orElse("Error") + ": "
                                + json.path("message").asText());
            }
            return json;
        } catch (IOException e) {
            throw new CliException("SES API call " + method + " " + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
