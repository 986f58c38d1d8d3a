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
            List<DestinationRow> eventDestinations,
            NewDestination newDestination,
            List<String> eventTypes,
            String message,
            Errors errors) {}

    /** One event destination of a configuration set, as GetConfigurationSetEventDestinations lists it. */
    public record DestinationRow(String name, String kind, String target, List<String> eventTypes, boolean enabled) {
        public String types() {
            return String.join(", ", eventTypes);
        }
    }

    /** The add-an-event-destination form as it was submitted (kept when it is refused). */
    public record NewDestination(String name, String kind, String target, List<String> eventTypes, boolean enabled) {
        public static final NewDestination EMPTY = new NewDestination("", "WEBHOOK", "", List.of(), true);

        public boolean wants(String type) {
            return eventTypes.contains(type);
        }
    }

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
    public record AccountRow(
            String id,
            String name,
            int dedicatedIps,
            boolean sendingEnabled,
            boolean productionAccess,
            String enforcementStatus) {}

    /** The accounts page. */
    public record Accounts(List<AccountRow> accounts, Optional<NewAccount> created, String name, String error) {}

    /** One address of the inventory. */
    public record IpInventoryRow(String ip, String role, String account, String pool, String warmup, boolean paused) {}

    /** How many addresses one role, account and pool hold. */
    public record InventoryGroup(String role, String account, String pool, int ips) {}

    /** The inventory page; {@code account} names the account it is narrowed to ("" = every one). */
    public record Inventory(
            List<IpInventoryRow> ips,
            List<InventoryGroup> groups,
            Map<String, Integer> byRole,
            List<String> accountNames,
            String account,
            String message,
            String error,
            String addresses) {}

    /** One static route. */
    public record RouteRow(String domain, String nextHop) {}

    /** The routes page, with the set-a-route form as submitted. */
    public record Routes(List<RouteRow> routes, String domain, String nextHop, String message, String error) {}

    /** One (source IP, provider) throttle, as {@code poolmta status} lists it. */
    public record ThrottleRow(
            String ip,
            String provider,
            String site,
            int connectionLimit,
            int maxConnections,
            long throttles,
            long delivered,
            String pausedUntil) {}

    /** A standing reputation enforcement has not left HEALTHY. */
    public record EnforcementRow(String what, String status, String action, String reason) {}

    /** The delivery status page: {@code poolmta status}. */
    public record DeliveryStatus(
            long delivered,
            long bounced,
            long deferred,
            long queued,
            long pending,
            long webhooksPending,
            long webhooksDeadLettered,
            List<ThrottleRow> throttles,
            List<EnforcementRow> enforcement) {}

    /** One email identity of the account. */
    public record IdentityRow(
            String name, String type, boolean verifiedForSending, String dkim, String configurationSet) {}

    public record Identities(List<IdentityRow> identities) {}

    /** One address of the account's suppression list. */
    public record SuppressionRow(String address, String reason, String lastUpdate) {}

    public record Suppression(List<SuppressionRow> rows, int total, List<String> reasons, boolean more) {}

    /** The advisor's recommendation for the account, with its reasons and figures. */
    public record Advice(
            String recommendation,
            List<String> reasons,
            String firstDay,
            String lastDay,
            long total,
            String meanPerDay,
            long maxPerDay,
            int activeDays,
            int dedicatedIps,
            String ipPlan) {}
}
