package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.http.QueryParams;
import io.poolmta.tag.Tag;
import java.util.List;

/** Shapes several operations share: tags, pages, empty outputs. */
final class SesShapes {
    private SesShapes() {}

    static ObjectNode empty() {
        return Json.object();
    }

    static List<Tag> tags(JsonInput body, String field) {
        return body.optionalList(field, element -> {
                    JsonInput tag = element.object();
                    return new Tag(
                            tag.requiredString("Key"),
                            tag.optionalString("Value").orElse(""));
                })
                .orElse(List.of());
    }

    static ArrayNode tagArray(List<Tag> tags) {
        ArrayNode array = Json.array();
        for (Tag tag : tags) {
            array.addObject().put("Key", tag.key()).put("Value", tag.value());
        }
        return array;
    }

    static PageRequest page(QueryParams query) {
        return PageRequest.of(query.integer("PageSize"), query.first("NextToken"));
    }

    static ObjectNode names(String field, Page<String> page) {
        ObjectNode out = Json.object();
        ArrayNode names = out.putArray(field);
        page.items().forEach(names::add);
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    static String nonEmpty(String value, String field) {
        if (value.isEmpty()) {
            throw ApiException.badRequest("Field '" + field + "' must not be empty.");
        }
        return value;
    }
}
