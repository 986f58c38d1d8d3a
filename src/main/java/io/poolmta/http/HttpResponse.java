package io.poolmta.http;

import java.util.Map;

/** A response to write: status, extra headers and a body with its content type. */
public record HttpResponse(int status, Map<String, String> headers, String contentType, byte[] body) {
    public static HttpResponse json(int status, byte[] body) {
        return new HttpResponse(status, Map.of(), "application/json", body);
    }
}
