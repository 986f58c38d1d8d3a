package io.poolmta.console;

import io.poolmta.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The console's static files, served by PoolMTA itself (no third-party host): its stylesheet and
 * htmx, from the htmx webjar on the class path. Each is served under a path that carries a hash of
 * its content, so it can be cached for a year and a new release is fetched anew.
 */
public final class StaticAssets {
    /** The htmx release the webjar in the build carries (kept in step with the pom). */
    static final String HTMX_VERSION = "2.0.8";

    private record Asset(String contentType, byte[] bytes, String path) {}

    private static final Map<String, Asset> ASSETS = Map.of(
            "console.css", load("console.css", "text/css; charset=utf-8", "/io/poolmta/console/console.css"),
            "htmx.min.js",
                    load(
                            "htmx.min.js",
                            "text/javascript; charset=utf-8",
                            "/META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js"));

    private StaticAssets() {}

    /** The versioned path of an asset, for pages to link to. */
    public static String path(String name) {
        Asset asset = ASSETS.get(name);
        if (asset == null) {
            throw new IllegalArgumentException("no console asset " + name);
        }
        return asset.path();
    }

    /** The response for a request path under /console/static/, if it names an asset (any version). */
    static Optional<HttpResponse> serve(String rawPath) {
        String name = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        Asset asset = ASSETS.get(name);
        if (asset == null || !rawPath.equals(asset.path())) {
            return Optional.empty();
        }
        return Optional.of(new HttpResponse(
                200,
                Map.of(
                        "Cache-Control", "public, max-age=31536000, immutable",
                        "X-Content-Type-Options", "nosniff"),
                asset.contentType(),
                asset.bytes()));
    }

    private static Asset load(String name, String contentType, String resource) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console asset missing from the build: " + resource);
            }
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 12);
            return new Asset(contentType, bytes, "/console/static/" + hash + "/" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
