package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.AccountService;
import io.poolmta.api.Json;
import io.poolmta.common.PoolMtaException;
import io.poolmta.egress.SendVolume;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.SendingIp;
import io.poolmta.managed.ProviderLevel;
import io.poolmta.managed.ProviderWarmupLedger;
import io.poolmta.managed.ProviderWarmupView;
import io.poolmta.pool.PoolNames;
import io.poolmta.pool.PoolStore;
import io.poolmta.pool.ScalingMode;
import io.poolmta.warmup.WarmupPlan;
import io.poolmta.warmup.WarmupProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.OptionalLong;

/**
 * GET /warmup/{IP}: one address's warm-up. A standard dedicated IP: its plan position, today's cap
 * (-1 = none) and sent count. A managed-pool IP (and a reserve IP, which keeps its history): its
 * level, cap and sent count towards each mailbox provider; its SES-visible warm-up is NOT_APPLICABLE/-1.
 */
public final class WarmupAdmin {
    private final IpStore ips;
    private final PoolStore pools;
    private final AccountService accounts;
    private final WarmupPlan plan;
    private final SendVolume volume;
    private final ProviderWarmupLedger providerWarmup;
    private final Clock clock;

    public WarmupAdmin(
            IpStore ips,
            PoolStore pools,
            AccountService accounts,
            WarmupPlan plan,
            SendVolume volume,
            ProviderWarmupLedger providerWarmup,
            Clock clock) {
        this.ips = ips;
        this.pools = pools;
        this.accounts = accounts;
        this.plan = plan;
        this.volume = volume;
        this.providerWarmup = providerWarmup;
        this.clock = clock;
    }

    public void register(AdminApi api) {
        api.add("GET", "/warmup/{IP}", (labels, query, body) -> render(labels.get("IP")));
    }

    private ObjectNode render(String address) {
        Ipv4 parsed = Ipv4.parse(address);
        SendingIp ip = ips.byAddress(parsed)
                .orElseThrow(() -> PoolMtaException.notFound("IP " + parsed + " is not registered."));
        Instant now = clock.instant();
        ObjectNode out = Json.object();
        out.put("Ip", ip.address().text()).put("Role", ip.role().name());
        boolean managed = false;
        if (ip.role() == IpRole.DEDICATED) {
            String accountId = ip.accountId().orElseThrow();
            out.put("Account", accounts.get(accountId).name()).put("AccountId", accountId);
            out.put("Pool", ip.poolName().orElse(PoolNames.DEFAULT_POOL));
            managed = ip.poolName()
                    .flatMap(p -> pools.get(accountId, p))
                    .map(p -> p.scalingMode() == ScalingMode.MANAGED)
                    .orElse(false);
            out.put("ScalingMode", (managed ? ScalingMode.MANAGED : ScalingMode.STANDARD).name());
            ObjectNode standard = out.putObject("Warmup");
            if (managed) {
                standard.put("Status", WarmupProgress.NOT_APPLICABLE.status().name())
                        .put("Percentage", WarmupProgress.NOT_APPLICABLE.percentage());
            } else {
                WarmupProgress progress = plan.progress(ip.warmup(), now);
                OptionalLong cap = plan.dailyCap(ip.warmup(), now);
                ip.warmup().countedThrough().ifPresent(t -> standard.put("SendingDaysJudgedThrough", t.toString()));
                if (ip.warmup().paused()) {
                    standard.put("Paused", true);
                }
                standard.put("Status", progress.status().name())
                        .put("Percentage", progress.percentage())
                        .put("DailyCap", cap.orElse(-1))
                        .put(
                                "SentToday",
                                cap.isPresent()
                                        ? volume.get(
                                                ip.address().text(),
                                                plan.dayEnds(ip.warmup(), now).minus(Duration.ofDays(1)))
                                        : 0);
            }
        } else {
            out.put("Pool", ip.role() == IpRole.SHARED ? PoolNames.SHARED_POOL : "(reserve)");
        }
        if (managed || ip.role() == IpRole.RESERVE) {
            ArrayNode providers = out.putArray("Providers");
            for (ProviderWarmupView v : providerWarmup.report(ip.address().text())) {
                ObjectNode row = providers.addObject();
                row.put("Provider", v.provider())
                        .put("Level", v.level())
                        .put("WarmLevel", v.warmLevel())
                        .put("Status", v.status().name())
                        .put("DailyCap", v.dailyCap().orElse(-1))
                        .put("SentToday", v.sentToday());
                if (v.lastActiveDay() != ProviderLevel.NEVER) {
                    row.put(
                            "LastActiveDay",
                            LocalDate.ofEpochDay(v.lastActiveDay()).toString());
                }
            }
        }
        return out;
    }
}
