package io.poolmta.egress;

import io.poolmta.common.Transactions;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.SendingIp;
import io.poolmta.pool.PoolStore;
import io.poolmta.pool.ScalingMode;
import io.poolmta.warmup.WarmupPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Optional sending-day counting for standard warm-up: a day only counts towards the 45-day plan
 * when the IP sent at least {@code share} of that day's cap. After each day window of a warming,
 * unpaused IP ends, the window is judged once; a day that did not count holds the plan back by one
 * day, so the next day repeats its cap and the percentage stands still. With {@code share} 0 every
 * day counts (SES's time-based plan). Only the last finished window is judged: a server that was
 * down for days judges the day before it came back.
 */
public final class SendingDayCounter {
    private static final Duration DAY = Duration.ofDays(1);

    private final double share;
    private final IpStore ips;
    private final PoolStore pools;
    private final WarmupPlan plan;
    private final SendVolume volume;
    private final Transactions tx;
    private final Clock clock;

    public SendingDayCounter(
            double share,
            IpStore ips,
            PoolStore pools,
            WarmupPlan plan,
            SendVolume volume,
            Transactions tx,
            Clock clock) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("the sending-day share is between 0 and 1");
        }
        this.share = share;
        this.ips = ips;
        this.pools = pools;
        this.plan = plan;
        this.volume = volume;
        this.tx = tx;
        this.clock = clock;
    }

    public boolean enabled() {
        return share > 0;
    }

    /** Judges every warming IP's last finished day window that has not been judged yet. */
    public void runOnce() {
        if (!enabled()) {
            return;
        }
        Instant now = clock.instant();
        for (SendingIp ip : ips.all()) {
            if (ip.role() != IpRole.DEDICATED
                    || ip.warmup().paused()
                    || managed(ip)
                    || plan.dailyCap(ip.warmup(), now).isEmpty()) {
                continue;
            }
            Instant windowEnd = plan.dayEnds(ip.warmup(), now).minus(DAY);
            Instant windowStart = windowEnd.minus(DAY);
            if (windowStart.isBefore(ip.warmup().anchor())
                    || ip.warmup()
                            .countedThrough()
                            .map(t -> !t.isBefore(windowEnd))
                            .orElse(false)) {
                continue;
            }
            OptionalLong cap = plan.dailyCap(ip.warmup(), windowStart);
            long sent = volume.get(ip.address().text(), windowStart);
            boolean counted = cap.isEmpty() || sent >= Math.ceil(share * cap.getAsLong());
            tx.run(() -> ips.byAddress(ip.address())
                    .filter(current -> current.warmup().equals(ip.warmup()))
                    .ifPresent(current ->
                            ips.update(current.withWarmup(current.warmup().judged(windowEnd, counted)))));
        }
    }

    private boolean managed(SendingIp ip) {
        return ip.poolName()
                .flatMap(p -> pools.get(ip.accountId().orElseThrow(), p))
                .map(p -> p.scalingMode() == ScalingMode.MANAGED)
                .orElse(false);
    }
}
