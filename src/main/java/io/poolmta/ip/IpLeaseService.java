package io.poolmta.ip;

import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.warmup.WarmupState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operator's side of addresses: registers them as dedicated (leased to one account, starting in
 * its default pool and, with auto warm-up on, at 0% of the plan), shared, or reserve. A batch is
 * all-or-nothing: if one address is invalid, taken or not bindable here, none is added. In a
 * cluster each address is recorded on the node whose service added it (the node that binds it).
 */
public final class IpLeaseService {
    private static final Pattern HOSTNAME = Pattern.compile(
            "^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

    private final IpStore ips;
    private final AccountService accounts;
    private final LocalAddresses local;
    private final Transactions tx;
    private final Clock clock;
    private final Optional<String> node;

    public IpLeaseService(IpStore ips, AccountService accounts, LocalAddresses local, Transactions tx, Clock clock) {
        this(ips, accounts, local, tx, clock, Optional.empty());
    }

    /** Addresses added here are recorded on {@code node}: the node whose host can bind them. */
    public IpLeaseService(
            IpStore ips,
            AccountService accounts,
            LocalAddresses local,
            Transactions tx,
            Clock clock,
            Optional<String> node) {
        this.ips = ips;
        this.accounts = accounts;
        this.local = local;
        this.tx = tx;
        this.clock = clock;
        this.node = node;
    }

    /** Adds addresses in one role; {@code accountName} is required for DEDICATED and refused otherwise. */
    public List<SendingIp> add(
            List<String> addresses, IpRole role, Optional<String> accountName, Optional<String> ehlo) {
        if (addresses == null || addresses.isEmpty()) {
            throw PoolMtaException.badRequest("Give at least one IP address.");
        }
        if (role == IpRole.DEDICATED && accountName.isEmpty()) {
            throw PoolMtaException.badRequest("A dedicated IP is leased to an account: name the account.");
        }
        if (role != IpRole.DEDICATED && accountName.isPresent()) {
            throw PoolMtaException.badRequest(role + " IPs belong to no account; do not name one.");
        }
        ehlo.ifPresent(name -> {
            if (!HOSTNAME.matcher(name).matches()) {
                throw PoolMtaException.badRequest("'" + name + "' is not a valid EHLO host name.");
            }
        });
        LinkedHashSet<Ipv4> parsed = new LinkedHashSet<>();
        for (String text : addresses) {
            if (!parsed.add(Ipv4.parse(text))) {
                throw PoolMtaException.badRequest("IP " + text + " is listed twice.");
            }
        }
        for (Ipv4 address : parsed) {
            if (!local.canBind(address)) {
                throw PoolMtaException.badRequest(
                        "This host cannot send from " + address + ": no local interface has that address.");
            }
        }
        return tx.write(() -> {
            Optional<Account> account = accountName.map(accounts::byName);
            Instant now = clock.instant();
            List<SendingIp> added = new ArrayList<>();
            for (Ipv4 address : parsed) {
                ips.byAddress(address).ifPresent(existing -> {
                    throw PoolMtaException.alreadyExists(
                            "IP " + address + " is already registered as " + describe(existing) + ".");
                });
                WarmupState warmup = account.map(a ->
                                a.dedicatedIpAutoWarmupEnabled() ? WarmupState.startingAt(now) : WarmupState.done(now))
                        .orElse(WarmupState.done(now));
                SendingIp ip = new SendingIp(
                        address,
                        role,
                        account.map(Account::id),
                        Optional.empty(),
                        ehlo.orElse("[" + address.text() + "]"),
                        warmup,
                        now,
                        node);
                ips.insert(ip);
                added.add(ip);
            }
            return added;
        });
    }

    /** Every registered address, in numeric order. */
    public List<SendingIp> all() {
        return ips.all().stream()
                .sorted(Comparator.comparing(SendingIp::address))
                .toList();
    }

    /**
     * Takes an address out of service. A dedicated address must be back in its account's default
     * pool first, so that no pool loses an address behind the account's back.
     */
    public void remove(String address) {
        Ipv4 ip = Ipv4.parse(address);
        tx.run(() -> {
            SendingIp existing =
                    ips.byAddress(ip).orElseThrow(() -> PoolMtaException.notFound("IP " + ip + " is not registered."));
            if (existing.poolName().isPresent()) {
                throw PoolMtaException.badRequest("IP " + ip + " is in pool "
                        + existing.poolName().get() + "; move it to ses-default-dedicated-pool first.");
            }
            ips.delete(ip);
        });
    }

    /** Stops a dedicated IP's warm-up where it stands: its percentage and daily cap stay as they are. */
    public SendingIp pauseWarmup(String address) {
        return changeWarmup(address, true);
    }

    /** Lets a paused warm-up go on from where it stood. */
    public SendingIp resumeWarmup(String address) {
        return changeWarmup(address, false);
    }

    private SendingIp changeWarmup(String address, boolean pause) {
        Ipv4 ip = Ipv4.parse(address);
        return tx.write(() -> {
            SendingIp existing =
                    ips.byAddress(ip).orElseThrow(() -> PoolMtaException.notFound("IP " + ip + " is not registered."));
            if (existing.role() != IpRole.DEDICATED) {
                throw PoolMtaException.badRequest("IP " + ip + " is "
                        + existing.role().name().toLowerCase(Locale.ROOT) + "; only dedicated IPs warm up.");
            }
            if (existing.warmup().complete()) {
                throw PoolMtaException.badRequest("IP " + ip + " has finished its warm-up.");
            }
            Instant now = clock.instant();
            SendingIp changed = existing.withWarmup(
                    pause ? existing.warmup().pause(now) : existing.warmup().resume(now));
            ips.update(changed);
            return changed;
        });
    }

    private String describe(SendingIp ip) {
        return switch (ip.role()) {
            case DEDICATED ->
                "dedicated to account "
                        + accounts.get(ip.accountId().orElseThrow()).name();
            case SHARED -> "shared";
            case RESERVE -> "reserve";
        };
    }
}
