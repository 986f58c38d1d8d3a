package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.configset.ConfigurationSetService;
import java.util.Optional;

/**
 * PUT .../tracking-options, .../suppression-options, .../vdm-options and .../archiving-options:
 * option groups PoolMTA keeps as given and returns. Of them only SuppressionOptions is acted on
 * (its SuppressedReasons override the account's for mail sent through the set). One class, four
 * operations, because they differ only in the group they replace.
 */
public final class PutConfigurationSetStoredOptions implements SesOperation {
    private final ConfigurationSetService sets;
    private final String option;

    private PutConfigurationSetStoredOptions(ConfigurationSetService sets, String option) {
        this.sets = sets;
        this.option = option;
    }

    public static PutConfigurationSetStoredOptions tracking(ConfigurationSetService sets) {
        return new PutConfigurationSetStoredOptions(sets, ConfigurationSetShape.TRACKING);
    }

    public static PutConfigurationSetStoredOptions suppression(ConfigurationSetService sets) {
        return new PutConfigurationSetStoredOptions(sets, ConfigurationSetShape.SUPPRESSION);
    }

    public static PutConfigurationSetStoredOptions vdm(ConfigurationSetService sets) {
        return new PutConfigurationSetStoredOptions(sets, ConfigurationSetShape.VDM);
    }

    public static PutConfigurationSetStoredOptions archiving(ConfigurationSetService sets) {
        return new PutConfigurationSetStoredOptions(sets, ConfigurationSetShape.ARCHIVING);
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String name = call.label("ConfigurationSetName");
        sets.putStoredOption(call.accountId(), name, option, group(call.body()));
        return Json.object();
    }

    /** The option group as JSON; empty when the request removes it. */
    private Optional<String> group(JsonInput body) {
        return switch (option) {
            // without CustomRedirectDomain, PutConfigurationSetTrackingOptions removes the custom domain
            case ConfigurationSetShape.TRACKING ->
                body.has("CustomRedirectDomain") ? Optional.of(ConfigurationSetShape.tracking(body)) : Optional.empty();
            case ConfigurationSetShape.SUPPRESSION -> Optional.of(ConfigurationSetShape.suppression(body));
            case ConfigurationSetShape.VDM ->
                Optional.of(ConfigurationSetShape.vdm(
                        body.optionalObject("VdmOptions").orElseGet(() -> JsonInput.parse(new byte[0]))));
            default -> Optional.of(ConfigurationSetShape.archiving(body));
        };
    }
}
