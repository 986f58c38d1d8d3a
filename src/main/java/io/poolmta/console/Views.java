package io.poolmta.console;

import io.poolmta.account.NewAccount;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the templates show: plain values, already worded; the templates escape every one of them. */
public final class Views {
    private Views() {}

    /** A message beside a field, or for the whole form ("" = none). */
    public record Errors(Map<String, String> byField) {
        public static final Errors NONE = new Errors(Map.of());

        public static Errors of(String field, String message) {
            return new Errors(Map.of(field, message));
        }

        public boolean has(String field) {
            return byField.containsKey(field);
        }

        public String get(String field) {
            return byField.getOrDefault(field, "");
        }
    }

    public record SignIn(boolean operator, String accessKeyId, String error, String signInToken) {}

    /** One mailbox provider's warm-up of a managed-pool IP. */
    public record ProviderLevel(String provider, int level, String status, String today) {}

    public record IpRow(
            String ip,
            String pool,
            String warmupStatus,
            String percentage,
            String today,
            boolean managed,
            List<ProviderLevel> providers,
            Optional<WarmupChart> chart) {}

    public record PoolSummary(String name, String scalingMode, int ipCount, List<String> configurationSets) {}

    public record DedicatedIps(List<IpRow> ips, List<PoolSummary> pools, int unassigned) {}

    public record Pools(List<PoolSummary> pools, String message) {}

    public record PoolDetail(PoolSummary pool, List<IpRow> ips, String message, String error) {}

    public record SetSummary(String name, String sendingPool, boolean sendingEnabled) {}

    public record ConfigurationSets(List<SetSummary> sets, String name, Errors errors) {}

    public record ConfigurationSetDetail(
            String name,
            String sendingPool,
            List<String> poolChoices,
            String tlsPolicy,
            String maxDeliverySeconds,
            boolean sendingEnabled,
            List<String> eventDestinations,
            String message,
            Errors errors) {}

    public record AccountView(
            String accountId,
            String name,
            long max24HourSend,
            double maxSendRate,
            long sentLast24Hours,
            boolean sendingEnabled,
            boolean autoWarmup,
            String enforcementStatus,
            boolean productionAccess) {}

    public record Problem(int status, String heading, String message) {}

    /** One account row. */
    public record AccountRow(String id, String name, int dedicatedIps, boolean sendingEnabled) {}

    /** The accounts page. */
    public record Accounts(List<AccountRow> accounts, Optional<NewAccount> created, String name, String error) {}

    /** One address of the inventory. */
    public record IpInventoryRow(String ip, String role, String account, String pool, String warmup, boolean paused) {}

    /** The inventory page. */
    public record Inventory(
            List<IpInventoryRow> ips, List<String> accountNames, String message, String error, String addresses) {}
}
