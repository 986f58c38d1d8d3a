package io.poolmta.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A received HTTP request, read in full (within the size limit). Header names are lower case.
 * {@code rawPath} and {@code rawQuery} are exactly as sent, still percent-encoded, because SigV4
 * signs them that way. {@code clientAddress} is the IP address of the peer that sent it ("" when
 * not known).
 */
public record HttpRequest(
        String method,
        String rawPath,
        String rawQuery,
        Map<String, List<String>> headers,
        byte[] body,
        String requestId,
        String clientAddress) {

    /** A request whose sender's address is not known (built outside a connection). */
    public HttpRequest(
            String method,
            String rawPath,
            String rawQuery,
            Map<String, List<String>> headers,
            byte[] body,
            String requestId) {
        this(method, rawPath, rawQuery, headers, body, requestId, "");
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public QueryParams query() {
        return QueryParams.parse(rawQuery);
    }
}
