package io.poolmta.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A received HTTP request, read in full (within the size limit). Header names are lower case.
 * {@code rawPath} and {@code rawQuery} are exactly as sent, still percent-encoded, because SigV4
 * signs them that way.
 */
public record HttpRequest(
        String method,
        String rawPath,
        String rawQuery,
        Map<String, List<String>> headers,
        byte[] body,
        String requestId) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public QueryParams query() {
        return QueryParams.parse(rawQuery);
    }
}
