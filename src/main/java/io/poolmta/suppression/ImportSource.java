package io.poolmta.suppression;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens an import job's data source. Where SES reads an S3 object, PoolMTA reads what the server
 * itself can reach: an absolute file path, a {@code file:} URL, or an {@code http:}/{@code https:}
 * URL (a pre-signed S3 URL works too).
 */
@FunctionalInterface
public interface ImportSource {
    InputStream open(String location) throws IOException;

    /** Whether {@code location} has one of the forms {@link #STANDARD} reads. */
    static boolean supported(String location) {
        if (isHttp(location) || location.startsWith("file:")) {
            return true;
        }
        try {
            return Path.of(location).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    static boolean isHttp(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** Files and URLs; an HTTP answer other than 200 is an error that names the status. */
    ImportSource STANDARD = location -> {
        if (isHttp(location)) {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            try {
                HttpResponse<InputStream> response = client.send(
                        HttpRequest.newBuilder(URI.create(location))
                                .timeout(Duration.ofMinutes(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new IOException("the server answered HTTP " + response.statusCode());
                }
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (IllegalArgumentException e) {
                throw new IOException("not a valid URL", e);
            }
        }
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        return Files.newInputStream(path);
    };
}
