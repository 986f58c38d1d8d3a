package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.provider.MailboxProvider;
import io.poolmta.provider.ProviderLimits;
import io.poolmta.provider.ProviderTable;
import io.poolmta.warmup.WarmupPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The data that shapes sending, replaceable in the config file: the warm-up plan's daily caps
 * ({@code warmupDailyCaps}: one cap per plan day; the plan lasts that many days) and the mailbox
 * provider table ({@code providers}: name, domains, mx, connectionsPerIp, messagesPerConnection,
 * messagesPerHour, warmupShare; a provider named {@code other} sets the limits of everything else).
 * Defaults: SES's 45-day plan from 200 to 50,000 and {@link ProviderTable#defaults()}.
 */
public record DeliveryPolicy(WarmupPlan warmupPlan, ProviderTable providers) {
    private static final Set<String> PROVIDER_KEYS = Set.of("name", "domains", "mx", "connectionsPerIp",
            "messagesPerConnection", "messagesPerHour", "warmupShare");

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
                    throw new IllegalArgumentException(file + ": every warmupDailyCaps entry must be a positive integer");
                }
                list.add(cap.longValue());
            }
            plan = new WarmupPlan(Duration.ofDays(list.size()), list);
        }
        ProviderTable table = ProviderTable.defaults();
        JsonNode providers = root.get("providers");
        if (providers != null) {
            if (!providers.isArray()) {
                throw new IllegalArgumentException(file + ": 'providers' must be a list of provider objects");
            }
            List<MailboxProvider> list = new ArrayList<>();
            ProviderLimits other = ProviderLimits.DEFAULT;
            for (JsonNode p : providers) {
                if (!p.isObject()) {
                    throw new IllegalArgumentException(file + ": each provider must be an object");
                }
                for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (!PROVIDER_KEYS.contains(key)) {
                        throw new IllegalArgumentException(file + ": unknown provider key '" + key + "'; known keys are "
                                + PROVIDER_KEYS);
                    }
                }
                String name = p.path("name").asText("");
                if (!name.matches("[a-z0-9_-]{1,32}")) {
                    throw new IllegalArgumentException(file + ": a provider needs a name of 1-32 lowercase letters, digits, '_' or '-'");
                }
                ProviderLimits limits;
                try {
                    limits = new ProviderLimits(p.path("connectionsPerIp").asInt(ProviderLimits.DEFAULT.connectionsPerIp()),
                            p.path("messagesPerConnection").asInt(ProviderLimits.DEFAULT.messagesPerConnection()),
                            p.path("messagesPerHour").asInt(0), p.path("warmupShare").asDouble(1.0));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": provider " + name + ": " + e.getMessage());
                }
                if (name.equals(ProviderTable.OTHER)) {
                    other = limits;
                } else {
                    list.add(new MailboxProvider(name, strings(p.get("domains"), file, name),
                            strings(p.get("mx"), file, name), limits));
                }
            }
            table = new ProviderTable(list, other);
        }
        return new DeliveryPolicy(plan, table);
    }

    private static List<String> strings(JsonNode node, String file, String provider) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(file + ": provider " + provider + ": domains and mx are lists of names");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }
}
