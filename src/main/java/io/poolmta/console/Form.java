package io.poolmta.console;

import io.poolmta.http.HttpRequest;
import io.poolmta.http.QueryParams;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The fields of a submitted form ({@code application/x-www-form-urlencoded}); a missing field is "". */
public record Form(QueryParams fields) {
    public static final Form EMPTY = new Form(QueryParams.EMPTY);

    public static Form of(HttpRequest request) {
        if (!"POST".equals(request.method())) {
            return EMPTY;
        }
        return new Form(QueryParams.parse(new String(request.body(), StandardCharsets.UTF_8)));
    }

    public String get(String name) {
        return fields.first(name).orElse("");
    }

    public List<String> all(String name) {
        return fields.all(name);
    }
}
