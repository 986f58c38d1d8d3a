package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.provider.ProviderTable;
import io.poolmta.provider.ProvidersJson;
import io.poolmta.warmup.WarmupPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The data that shapes sending, replaceable in the config file: the warm-up plan's daily caps
 * ({@code warmupDailyCaps}: one cap per plan day; the plan lasts that many days) and the mailbox
 * provider table ({@code providers}, read by {@link ProvidersJson}). Defaults: SES's 45-day plan
 * from 200 to 50,000 and {@link ProviderTable#defaults()}, the bundled providers.json.
 */
public record DeliveryPolicy(WarmupPlan warmupPlan, ProviderTable providers) {
    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(WarmupPlan.standard(), ProviderTable.defaults());
    }

    /** Reads {@code warmupDailyCaps} and {@code providers} from a config file's root object, if present. */
    static DeliveryPolicy from(JsonNode root, String file) {
        WarmupPlan plan = WarmupPlan.standard();
        JsonNode caps = root.get("warmupDailyCaps");
        if (caps != null) {
            if (!caps.isArray() || caps.isEmpty() || caps.size() > 365) {
                throw new IllegalArgumentException(file + ": 'warmupDailyCaps' must be a list of 1-365 daily caps");
            }
            List<Long> list = new ArrayList<>();
            for (JsonNode cap : caps) {
                if (!cap.canConvertToLong() || !cap.isIntegralNumber() || cap.longValue() < 1) {
                    throw new IllegalArgumentException(
                            file + ": every warmupDailyCaps entry must be a positive integer");
                }
                list.add(cap.longValue());
            }
            plan = new WarmupPlan(Duration.ofDays(list.size()), list);
        }
        JsonNode providers = root.get("providers");
        ProviderTable table = providers == null ? ProviderTable.defaults() : ProvidersJson.table(providers, file);
        return new DeliveryPolicy(plan, table);
    }
}
