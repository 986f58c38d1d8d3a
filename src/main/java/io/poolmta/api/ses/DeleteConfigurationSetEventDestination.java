package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.events.EventDestinationService;

/** DELETE .../event-destinations/{EventDestinationName}. */
public final class DeleteConfigurationSetEventDestination implements SesOperation {
    private final EventDestinationService destinations;

    public DeleteConfigurationSetEventDestination(EventDestinationService destinations) {
        this.destinations = destinations;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        destinations.delete(call.accountId(), call.label("ConfigurationSetName"), call.label("EventDestinationName"));
        return SesShapes.empty();
    }
}
