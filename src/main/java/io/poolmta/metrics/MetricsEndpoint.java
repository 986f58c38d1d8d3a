package io.poolmta.metrics;

import io.poolmta.api.ApiException;
import io.poolmta.http.Endpoint;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.HttpResponse;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * GET /metrics on the API listener, for the operator only ({@code Authorization: Bearer <operator
 * token>}, checked in constant time, as the admin API). The registry is scraped on each request
 * and written by the Prometheus client library: OpenMetrics when the scraper asks for it, else
 * the Prometheus text format 0.0.4.
 */
public final class MetricsEndpoint implements Endpoint {
    public static final String PATH = "/metrics";

    private final byte[] token;
    private final PrometheusRegistry registry;
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();

    public MetricsEndpoint(String operatorToken, PrometheusRegistry registry) {
        this.token = operatorToken.getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
    }

    @Override
    public String pathPrefix() {
        return PATH;
    }

    @Override
    public long maxBodyBytes(String rawPath) {
        return 0;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String presented = request.header("authorization").orElse("");
        if (!presented.startsWith("Bearer ")
                || !MessageDigest.isEqual(token, presented.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    "AccessDeniedException",
                    403,
                    "/metrics needs the operator credential (Authorization: Bearer <token> from operator.json"
                            + " in the data directory).");
        }
        if (!request.rawPath().equals(PATH)) {
            throw new ApiException("NotFoundException", 404, "No such path: " + request.rawPath() + ".");
        }
        if (!request.method().equals("GET")) {
            throw new ApiException("MethodNotAllowedException", 405, "/metrics answers GET only.");
        }
        String accept = request.header("accept").orElse("");
        ExpositionFormatWriter writer = openMetrics.accepts(accept) ? openMetrics : text;
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(body, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HttpResponse(200, Map.of(), writer.getContentType(), body.toByteArray());
    }
}
