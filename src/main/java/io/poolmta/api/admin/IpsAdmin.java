package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.ip.IpLeaseService;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.NodeDirectory;
import io.poolmta.ip.SendingIp;
import io.poolmta.pool.PoolNames;
import io.poolmta.pool.PoolStore;
import io.poolmta.pool.ScalingMode;
import io.poolmta.warmup.WarmupPlan;
import io.poolmta.warmup.WarmupProgress;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * POST /ips adds addresses in a role (on this node); GET /ips lists every address with its node; DELETE /ips/{IP} removes one;
 * POST /ips/{IP}/warmup/pause and .../resume stop and restart a dedicated IP's warm-up.
 */
public final class IpsAdmin {
    private final IpLeaseService leases;
    private final PoolStore pools;
    private final AccountService accounts;
    private final WarmupPlan plan;
    private final Clock clock;
    private final NodeDirectory nodes;

    public IpsAdmin(
            IpLeaseService leases,
            PoolStore pools,
            AccountService accounts,
            WarmupPlan plan,
            Clock clock,
            NodeDirectory nodes) {
        this.leases = leases;
        this.pools = pools;
        this.accounts = accounts;
        this.plan = plan;
        this.clock = clock;
        this.nodes = nodes;
    }

    public void register(AdminApi api) {
        api.add("POST", "/ips", (labels, query, body) -> {
            List<String> ips = body.optionalList("Ips", e -> e.string())
                    .orElseThrow(() -> ApiException.badRequest("Field 'Ips' is required."));
            IpRole role = body.optionalEnum("Role", IpRole.class)
                    .orElseThrow(
                            () -> ApiException.badRequest("Field 'Role' is required (DEDICATED, SHARED or RESERVE)."));
            List<SendingIp> added = leases.add(ips, role, body.optionalString("Account"), body.optionalString("Ehlo"));
            return render(added);
        });
        api.add("GET", "/ips", (labels, query, body) -> render(leases.all()));
        api.add(
                "POST",
                "/ips/{IP}/warmup/pause",
                (labels, query, body) -> render(List.of(leases.pauseWarmup(labels.get("IP")))));
        api.add(
                "POST",
                "/ips/{IP}/warmup/resume",
                (labels, query, body) -> render(List.of(leases.resumeWarmup(labels.get("IP")))));
        api.add("DELETE", "/ips/{IP}", (labels, query, body) -> {
            leases.remove(labels.get("IP"));
            return Json.object();
        });
    }

    private ObjectNode render(List<SendingIp> ips) {
        Map<String, String> names = accounts.all().stream().collect(Collectors.toMap(Account::id, Account::name));
        Set<String> managedPools = new HashSet<>();
        for (String accountId : names.keySet()) {
            pools.ofAccount(accountId).stream()
                    .filter(p -> p.scalingMode() == ScalingMode.MANAGED)
                    .forEach(p -> managedPools.add(accountId + "/" + p.name()));
        }
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Ips");
        for (SendingIp ip : ips) {
            ObjectNode row = list.addObject();
            row.put("Ip", ip.address().text());
            row.put("Role", ip.role().name());
            ip.accountId()
                    .ifPresent(
                            id -> row.put("Account", names.getOrDefault(id, id)).put("AccountId", id));
            row.put("Pool", pool(ip));
            row.put("Ehlo", ip.ehloName());
            nodes.nodeOf(ip.address().text()).ifPresent(node -> row.put("Node", node));
            if (ip.role() == IpRole.DEDICATED) {
                WarmupProgress progress = managedPools.contains(ip.accountId().orElseThrow() + "/"
                                + ip.poolName().orElse(""))
                        ? WarmupProgress.NOT_APPLICABLE
                        : plan.progress(ip.warmup(), clock.instant());
                row.put("WarmupStatus", progress.status().name()).put("WarmupPercentage", progress.percentage());
                if (ip.warmup().paused()) {
                    row.put("WarmupPaused", true);
                }
            }
        }
        return out;
    }

    private static String pool(SendingIp ip) {
        return switch (ip.role()) {
            case DEDICATED -> ip.poolName().orElse(PoolNames.DEFAULT_POOL);
            case SHARED -> PoolNames.SHARED_POOL;
            case RESERVE -> "(reserve)";
        };
    }
}
