package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.events.EventDestinationService;

/** POST /v2/email/configuration-sets/{ConfigurationSetName}/event-destinations. */
public final class CreateConfigurationSetEventDestination implements SesOperation {
    private final EventDestinationService destinations;

    public CreateConfigurationSetEventDestination(EventDestinationService destinations) {
        this.destinations = destinations;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String set = call.label("ConfigurationSetName");
        String name = call.body().requiredString("EventDestinationName");
        var definition = call.body()
                .optionalObject("EventDestination")
                .orElseThrow(() -> ApiException.badRequest("Field 'EventDestination' is required."));
        destinations.create(EventDestinationShape.parse(call.accountId(), set, name, definition));
        return SesShapes.empty();
    }
}
