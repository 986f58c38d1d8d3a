package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.JsonInput;
import io.poolmta.common.PageRequest;
import io.poolmta.configset.ConfigurationSetService;
import java.util.Iterator;
import java.util.Optional;

/**
 * ListConfigurationSets: names, paged. Older clients send {@code GET /v2/email/configuration-sets}
 * with PageSize and NextToken in the query; current ones (AWS SDK for Java 2.57+, today's API
 * reference) send {@code POST /v2/email/list-configuration-sets} with them, and an optional
 * {@code Filter} ({@code CONFIGURATION_SET_NAME_CONTAINS}), in the JSON body.
 */
public final class ListConfigurationSets implements SesOperation {
    private static final String NAME_CONTAINS = "CONFIGURATION_SET_NAME_CONTAINS";

    private final ConfigurationSetService sets;
    private final boolean inBody;

    private ListConfigurationSets(ConfigurationSetService sets, boolean inBody) {
        this.sets = sets;
        this.inBody = inBody;
    }

    /** GET /v2/email/configuration-sets?PageSize=..&NextToken=.. */
    public static ListConfigurationSets fromQuery(ConfigurationSetService sets) {
        return new ListConfigurationSets(sets, false);
    }

    /** POST /v2/email/list-configuration-sets {"PageSize":..,"NextToken":..,"Filter":{..}} */
    public static ListConfigurationSets fromBody(ConfigurationSetService sets) {
        return new ListConfigurationSets(sets, true);
    }

    @Override
    public ObjectNode handle(SesCall call) {
        if (!inBody) {
            return SesShapes.names(
                    "ConfigurationSets", sets.list(call.accountId(), Optional.empty(), SesShapes.page(call.query())));
        }
        JsonInput body = call.body();
        PageRequest page = PageRequest.of(body.optionalInteger("PageSize"), body.optionalString("NextToken"));
        return SesShapes.names("ConfigurationSets", sets.list(call.accountId(), nameContains(body), page));
    }

    private static Optional<String> nameContains(JsonInput body) {
        Optional<JsonInput> filter = body.optionalObject("Filter");
        if (filter.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> contains = Optional.empty();
        for (Iterator<String> keys = filter.get().node().fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!NAME_CONTAINS.equals(key)) {
                throw ApiException.badRequest(
                        "Filter key '" + key + "' is not supported; the only key is " + NAME_CONTAINS + ".");
            }
            contains = filter.get().optionalString(key).map(v -> SesShapes.nonEmpty(v, "Filter." + key));
        }
        return contains;
    }
}
