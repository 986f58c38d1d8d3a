package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.JsonInput;
import io.poolmta.http.QueryParams;
import java.util.Map;

/** One admin operation. */
@FunctionalInterface
public interface AdminOperation {
    ObjectNode handle(Map<String, String> labels, QueryParams query, JsonInput body);
}
