package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.events.EventDestinationService;

/** PUT .../event-destinations/{EventDestinationName}: replaces the definition. */
public final class UpdateConfigurationSetEventDestination implements SesOperation {
    private final EventDestinationService destinations;

    public UpdateConfigurationSetEventDestination(EventDestinationService destinations) {
        this.destinations = destinations;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String set = call.label("ConfigurationSetName");
        String name = call.label("EventDestinationName");
        var definition = call.body()
                .optionalObject("EventDestination")
                .orElseThrow(() -> ApiException.badRequest("Field 'EventDestination' is required."));
        destinations.update(EventDestinationShape.parse(call.accountId(), set, name, definition));
        return SesShapes.empty();
    }
}
