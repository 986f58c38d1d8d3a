package io.poolmta.api.ses;

import io.poolmta.api.ApiException;
import io.poolmta.api.Caller;
import io.poolmta.api.JsonInput;
import io.poolmta.http.QueryParams;
import java.util.Map;

/**
 * One authenticated SES API call: who calls, the path labels, the query, the JSON body, and the IP
 * address the request came from.
 */
public record SesCall(
        Caller caller, Map<String, String> labels, QueryParams query, JsonInput body, String clientAddress) {
    public String accountId() {
        return caller.accountId();
    }

    public String label(String name) {
        String value = labels.get(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(name + " is required in the path.");
        }
        return value;
    }
}
