package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.server.DataDirectory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Calls the admin API with the operator token and turns its errors into one-line messages. */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    static AdminClient locate(Path data, String server, String token) {
        try {
            String url = server != null
                    ? server
                    : DataDirectory.readApiUrl(data)
                            .orElseThrow(() -> new CliException("no running server found in " + data.toAbsolutePath()
                                    + " (start one with './poolmta serve --data " + data + "', or pass --server URL)"));
            String tok = token != null ? token : System.getenv("POOLMTA_OPERATOR_TOKEN");
            if (tok == null) {
                tok = DataDirectory.readOperatorToken(data)
                        .orElseThrow(() -> new CliException("no operator credential in " + data.toAbsolutePath()
                                + "/operator.json (pass --data DIR or --token)"));
            }
            return new AdminClient(url, tok);
        } catch (IOException e) {
            throw new CliException("cannot read " + data.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/v1" + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json");
            request.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                String type = response.headers().firstValue("X-Amzn-Errortype").orElse("Error");
                throw new CliException(
                        json.path("message").asText("HTTP " + response.statusCode()) + " (" + type + ")");
            }
            return json;
        } catch (ConnectException e) {
            throw new CliException("no PoolMTA server answers at " + baseUrl + " (is './poolmta serve' running?)");
        } catch (IOException e) {
            throw new CliException("talking to " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
