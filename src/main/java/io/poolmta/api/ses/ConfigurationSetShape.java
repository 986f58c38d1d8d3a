package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.configset.NewConfigurationSet;
import io.poolmta.configset.ReputationOptions;
import io.poolmta.message.TlsPolicy;
import io.poolmta.tag.Tag;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads and writes configuration sets in SES's shapes. The option groups PoolMTA stores as given
 * are checked for their JSON types here, so a stored group is always one a client can read back.
 */
final class ConfigurationSetShape {
    static final String TRACKING = "TrackingOptions";
    static final String SUPPRESSION = "SuppressionOptions";
    static final String VDM = "VdmOptions";
    static final String ARCHIVING = "ArchivingOptions";

    private enum HttpsPolicy {
        REQUIRE,
        REQUIRE_OPEN_ONLY,
        OPTIONAL
    }

    private enum SuppressionReason {
        BOUNCE,
        COMPLAINT
    }

    private enum SuppressionScope {
        ACCOUNT,
        TENANT
    }

    private enum FeatureStatus {
        ENABLED,
        DISABLED
    }

    private ConfigurationSetShape() {}

    static NewConfigurationSet parseCreate(JsonInput body) {
        String name = body.requiredString("ConfigurationSetName");
        DeliveryOptions delivery = body.optionalObject("DeliveryOptions")
                .map(ConfigurationSetShape::delivery)
                .orElse(DeliveryOptions.DEFAULT);
        boolean sending = body.optionalObject("SendingOptions")
                .flatMap(o -> o.optionalBoolean("SendingEnabled"))
                .orElse(true);
        ReputationOptions reputation = body.optionalObject("ReputationOptions")
                .map(o -> new ReputationOptions(
                        o.optionalBoolean("ReputationMetricsEnabled").orElse(false),
                        o.optionalEpochSeconds("LastFreshStart")))
                .orElse(ReputationOptions.DEFAULT);
        Map<String, String> stored = new TreeMap<>();
        body.optionalObject(TRACKING).ifPresent(o -> stored.put(TRACKING, tracking(o)));
        body.optionalObject(SUPPRESSION).ifPresent(o -> stored.put(SUPPRESSION, suppression(o)));
        body.optionalObject(VDM).ifPresent(o -> stored.put(VDM, vdm(o)));
        body.optionalObject(ARCHIVING).ifPresent(o -> stored.put(ARCHIVING, archiving(o)));
        List<Tag> tags = SesShapes.tags(body, "Tags");
        return new NewConfigurationSet(name, delivery, sending, reputation, stored, tags);
    }

    static DeliveryOptions delivery(JsonInput o) {
        return new DeliveryOptions(
                o.optionalEnum("TlsPolicy", TlsPolicy.class).orElse(TlsPolicy.OPTIONAL),
                o.optionalString("SendingPoolName"),
                o.optionalLong("MaxDeliverySeconds"));
    }

    static String tracking(JsonInput o) {
        SesShapes.nonEmpty(o.requiredString("CustomRedirectDomain"), "CustomRedirectDomain");
        o.optionalEnum("HttpsPolicy", HttpsPolicy.class);
        return o.node().toString();
    }

    static String suppression(JsonInput o) {
        o.optionalList("SuppressedReasons", e -> {
            String reason = e.string();
            try {
                return SuppressionReason.valueOf(reason);
            } catch (IllegalArgumentException bad) {
                throw ApiException.badRequest("Field '" + e.path() + "' must be BOUNCE or COMPLAINT.");
            }
        });
        o.optionalEnum("SuppressionScope", SuppressionScope.class);
        o.optionalObject("ValidationOptions");
        return o.node().toString();
    }

    static String vdm(JsonInput o) {
        o.optionalObject("DashboardOptions").ifPresent(d -> d.optionalEnum("EngagementMetrics", FeatureStatus.class));
        o.optionalObject("GuardianOptions")
                .ifPresent(g -> g.optionalEnum("OptimizedSharedDelivery", FeatureStatus.class));
        return o.node().toString();
    }

    static String archiving(JsonInput o) {
        o.optionalString("ArchiveArn");
        return o.node().toString();
    }

    static ObjectNode render(ConfigurationSet set, List<Tag> tags) {
        ObjectNode out = Json.object();
        out.put("ConfigurationSetName", set.name());
        ObjectNode delivery = out.putObject("DeliveryOptions");
        delivery.put("TlsPolicy", set.deliveryOptions().tlsPolicy().name());
        set.deliveryOptions().sendingPoolName().ifPresent(p -> delivery.put("SendingPoolName", p));
        set.deliveryOptions().maxDeliverySeconds().ifPresent(s -> delivery.put("MaxDeliverySeconds", s));
        out.putObject("SendingOptions").put("SendingEnabled", set.sendingEnabled());
        ObjectNode reputation = out.putObject("ReputationOptions");
        reputation.put("ReputationMetricsEnabled", set.reputationOptions().reputationMetricsEnabled());
        set.reputationOptions().lastFreshStart().ifPresent(t -> {
            long ms = t.toEpochMilli();
            if (ms % 1000 == 0) {
                reputation.put("LastFreshStart", ms / 1000);
            } else {
                reputation.put("LastFreshStart", BigDecimal.valueOf(ms, 3));
            }
        });
        set.storedOptions().forEach((option, json) -> parsed(json).ifPresent(node -> out.set(option, node)));
        out.set("Tags", SesShapes.tagArray(tags));
        return out;
    }

    private static Optional<JsonNode> parsed(String json) {
        try {
            return Optional.of(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
