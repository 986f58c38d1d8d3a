package io.poolmta.console;

import io.poolmta.account.AccountService;
import io.poolmta.advisor.AdvisorService;
import io.poolmta.common.Transactions;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.delivery.DeliveryEngine;
import io.poolmta.egress.SendVolume;
import io.poolmta.events.EventDestinationService;
import io.poolmta.events.WebhookSender;
import io.poolmta.identity.IdentityService;
import io.poolmta.ip.IpLeaseService;
import io.poolmta.ip.IpStore;
import io.poolmta.managed.ProviderWarmupLedger;
import io.poolmta.nexthop.RouteService;
import io.poolmta.pool.DedicatedIpPoolService;
import io.poolmta.pool.PoolReferences;
import io.poolmta.reputation.Enforcement;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.warmup.WarmupPlan;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The domain services the console acts through: the same objects the SES and admin APIs use, so a
 * rule lives in one place. {@code ips}, {@code volume} and {@code providerWarmup} are read only, for
 * the warm-up figures of the Dedicated IPs page (today's count and cap, as the admin API's warm-up
 * report computes them). The operator's pages read {@code delivery}, {@code spoolPending},
 * {@code webhooks} and {@code enforcement} for the delivery status ({@code poolmta status}) and
 * change {@code routes} as the admin API does; an account's identities, suppression list and the
 * advisor's recommendation are read through {@code identities}, {@code suppression} and
 * {@code advisor}.
 */
public record ConsoleServices(
        AccountService accounts,
        DedicatedIpPoolService pools,
        ConfigurationSetService sets,
        EventDestinationService destinations,
        PoolReferences poolUsers,
        IpLeaseService leases,
        IpStore ips,
        WarmupPlan plan,
        SendVolume volume,
        ProviderWarmupLedger providerWarmup,
        ToLongFunction<String> sentLast24Hours,
        Transactions tx,
        Clock clock,
        RouteService routes,
        DeliveryEngine delivery,
        LongSupplier spoolPending,
        WebhookSender webhooks,
        Enforcement enforcement,
        IdentityService identities,
        SuppressionList suppression,
        AdvisorService advisor) {}
