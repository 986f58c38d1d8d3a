package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.events.EventDestinationService;

/** GET .../event-destinations: every destination of the set. */
public final class GetConfigurationSetEventDestinations implements SesOperation {
    private final EventDestinationService destinations;

    public GetConfigurationSetEventDestinations(EventDestinationService destinations) {
        this.destinations = destinations;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("EventDestinations");
        destinations
                .list(call.accountId(), call.label("ConfigurationSetName"))
                .forEach(d -> list.add(EventDestinationShape.render(d)));
        return out;
    }
}
