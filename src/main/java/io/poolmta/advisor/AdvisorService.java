package io.poolmta.advisor;

import io.poolmta.account.AccountService;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.pool.PoolNames;
import io.poolmta.provider.MailboxProvider;
import io.poolmta.provider.ProviderTable;
import io.poolmta.warmup.WarmupPlan;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Gathers what the {@link Advisor} reads: the daily volumes of the window from the ledger, the
 * accounts, their dedicated IPs, the warm-up plan's caps and the known mailbox providers (every
 * provider of the table; "other" is not one provider and is not judged).
 */
public final class AdvisorService {
    private final DailyVolumeLedger ledger;
    private final AccountService accounts;
    private final IpStore ips;
    private final WarmupPlan plan;
    private final ProviderTable providers;
    private final Clock clock;

    public AdvisorService(
            DailyVolumeLedger ledger,
            AccountService accounts,
            IpStore ips,
            WarmupPlan plan,
            ProviderTable providers,
            Clock clock) {
        this.ledger = ledger;
        this.accounts = accounts;
        this.ips = ips;
        this.plan = plan;
        this.providers = providers;
        this.clock = clock;
    }

    /** The report for one account (by name) or, when empty, for every account. */
    public AdvisorReport report(Optional<String> accountName, AdvisorSettings settings) {
        List<Advisor.AccountRef> refs =
                accountName.map(name -> List.of(accounts.byName(name))).orElseGet(accounts::all).stream()
                        .map(a -> new Advisor.AccountRef(a.id(), a.name()))
                        .toList();
        long today = DailyVolumeLedger.day(clock.instant());
        List<Advisor.DedicatedIp> dedicated = ips.all().stream()
                .filter(ip -> ip.role() == IpRole.DEDICATED)
                .map(ip -> new Advisor.DedicatedIp(
                        ip.address().text(),
                        ip.accountId().orElseThrow(),
                        ip.poolName().orElse(PoolNames.DEFAULT_POOL)))
                .toList();
        List<String> judged = providers.providers().stream()
                .map(MailboxProvider::name)
                .filter(name -> !name.equals(ProviderTable.OTHER))
                .toList();
        return new Advisor(settings, plan.dailyCaps())
                .advise(today, ledger.since(today - settings.days()), refs, dedicated, judged);
    }
}
