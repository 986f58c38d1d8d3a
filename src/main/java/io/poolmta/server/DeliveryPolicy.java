package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.provider.ProviderTable;
import io.poolmta.provider.ProvidersJson;
import io.poolmta.reputation.ReputationPolicy;
import io.poolmta.warmup.WarmupPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The data that shapes sending, replaceable in the config file: the warm-up plan's daily caps
 * ({@code warmupDailyCaps}: one cap per plan day; the plan lasts that many days) and the mailbox
 * provider table ({@code providers}, read by {@link ProvidersJson}). Defaults: SES's 45-day plan
 * from 200 to 50,000 and {@link ProviderTable#defaults()}, the bundled providers.json. The
 * reputation enforcement thresholds ({@link ReputationPolicy}) are read from their own keys
 * ({@link #REPUTATION_KEYS}).
 */
public record DeliveryPolicy(WarmupPlan warmupPlan, ProviderTable providers, ReputationPolicy reputation) {
    static final Set<String> REPUTATION_KEYS = Set.of(
            "reputationBounceReviewRate",
            "reputationBouncePauseRate",
            "reputationComplaintReviewRate",
            "reputationComplaintPauseRate",
            "reputationWindowDays",
            "reputationMinimumSends",
            "sharedPoolReviewSendRate");

    public DeliveryPolicy(WarmupPlan warmupPlan, ProviderTable providers) {
        this(warmupPlan, providers, ReputationPolicy.DEFAULT);
    }

    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(WarmupPlan.standard(), ProviderTable.defaults(), ReputationPolicy.DEFAULT);
    }

    public DeliveryPolicy withReputation(ReputationPolicy policy) {
        return new DeliveryPolicy(warmupPlan, providers, policy);
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
        return new DeliveryPolicy(plan, table, reputation(root, file));
    }

    private static ReputationPolicy reputation(JsonNode root, String file) {
        ReputationPolicy p = ReputationPolicy.DEFAULT;
        try {
            p = p.withBounceRates(
                    number(root, "reputationBounceReviewRate", file, p.bounceReviewRate()),
                    number(root, "reputationBouncePauseRate", file, p.bouncePauseRate()));
            p = p.withComplaintRates(
                    number(root, "reputationComplaintReviewRate", file, p.complaintReviewRate()),
                    number(root, "reputationComplaintPauseRate", file, p.complaintPauseRate()));
            p = p.withWindow(Duration.ofDays(
                    whole(root, "reputationWindowDays", file, p.window().toDays())));
            p = p.withMinimumSends(whole(root, "reputationMinimumSends", file, p.minimumSends()));
            return p.withSharedPoolReviewSendRate(
                    number(root, "sharedPoolReviewSendRate", file, p.sharedPoolReviewSendRate()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static double number(JsonNode root, String key, String file, double otherwise) {
        JsonNode value = root.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a number");
        }
        return value.doubleValue();
    }

    private static long whole(JsonNode root, String key, String file, long otherwise) {
        JsonNode value = root.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number");
        }
        return value.longValue();
    }
}
