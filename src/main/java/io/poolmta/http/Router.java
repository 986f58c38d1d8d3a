package io.poolmta.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a method and a raw path against templates such as
 * {@code /v2/email/dedicated-ips/{IP}/pool}. Labels match one segment and are percent-decoded.
 */
public final class Router<H> {
    /** A matched handler with the decoded values of its path labels. */
    public record Match<H>(H handler, Map<String, String> labels) {}

    private record Route<H>(String method, String[] segments, H handler) {}

    private final List<Route<H>> routes = new ArrayList<>();

    public Router<H> add(String method, String template, H handler) {
        routes.add(new Route<>(method, split(template), handler));
        return this;
    }

    public Optional<Match<H>> match(String method, String rawPath) {
        String[] segments = split(rawPath);
        for (Route<H> route : routes) {
            if (!route.method().equals(method) || route.segments().length != segments.length) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            boolean ok = true;
            for (int i = 0; i < segments.length && ok; i++) {
                String t = route.segments()[i];
                if (t.startsWith("{") && t.endsWith("}")) {
                    String value = decodeSegment(segments[i]);
                    labels.put(t.substring(1, t.length() - 1), value);
                    ok = !value.isEmpty();
                } else {
                    ok = t.equals(segments[i]);
                }
            }
            if (ok) {
                return Optional.of(new Match<>(route.handler(), labels));
            }
        }
        return Optional.empty();
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** Percent-decoding of a path segment ('+' stays '+'). */
    static String decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        byte[] out = new byte[segment.length()];
        int n = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new InvalidRequestException("The request path is not correctly percent-encoded.");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidRequestException("The request path is not correctly percent-encoded.");
                }
                out[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out[n++] = b;
                }
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
