package io.poolmta.console;

import io.poolmta.account.Account;
import io.poolmta.account.NewAccount;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.http.Router;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.SendingIp;
import io.poolmta.pool.PoolNames;
import io.poolmta.reputation.EnforcementStatus;
import io.poolmta.reputation.Scope;
import io.poolmta.warmup.WarmupProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator's pages: accounts (list with their IPs and state, create — the new account's keys
 * are shown once), the IP inventory (every address with its role, account, pool, warm-up and
 * whether it is paused, counted per account and pool; lease addresses to an account or add them as
 * shared or reserve; release an address; pause or resume a warm-up), static routes (list, set,
 * remove) and the delivery status of {@code poolmta status}. They call the services the admin API
 * calls, so their refusals read the same.
 */
final class OperatorPages {
    private final ConsoleServices s;
    private final DeliveryStatusPage status;

    OperatorPages(ConsoleServices services) {
        this.s = services;
        this.status = new DeliveryStatusPage(services);
    }

    void register(Router<Page> router, List<NavItem> nav) {
        nav.add(new NavItem("accounts", "Accounts", "/console/operator/accounts"));
        nav.add(new NavItem("ips", "IP inventory", "/console/operator/ips"));
        nav.add(new NavItem("routes", "Routes", "/console/operator/routes"));
        nav.add(new NavItem("status", "Delivery status", "/console/operator/status"));
        router.add("GET", "/console/operator/accounts", call -> accounts(Optional.empty(), "", "", 200))
                .add("POST", "/console/operator/accounts", this::createAccount)
                .add("GET", "/console/operator/ips", call -> ips(call, "", "", Form.EMPTY, 200))
                .add("POST", "/console/operator/ips", this::lease)
                .add("POST", "/console/operator/ips/{ip}/release", this::release)
                .add("POST", "/console/operator/ips/{ip}/warmup", this::pauseOrResume)
                .add("GET", "/console/operator/routes", call -> routes("", "", Form.EMPTY, 200))
                .add("POST", "/console/operator/routes", this::setRoute)
                .add("POST", "/console/operator/routes/{domain}/delete", this::deleteRoute)
                .add("GET", "/console/operator/status", status::render);
    }

    private ConsoleResponse accounts(Optional<NewAccount> created, String name, String error, int status) {
        Map<String, Integer> counts = new HashMap<>();
        for (SendingIp ip : s.leases().all()) {
            ip.accountId().ifPresent(id -> counts.merge(id, 1, Integer::sum));
        }
        List<Views.AccountRow> rows = new ArrayList<>();
        for (Account a : s.accounts().all()) {
            EnforcementStatus enforcement = s.enforcement().status(Scope.account(a.id()));
            rows.add(new Views.AccountRow(
                    a.id(),
                    a.name(),
                    counts.getOrDefault(a.id(), 0),
                    a.sendingEnabled(),
                    a.productionAccessEnabled(),
                    enforcement.name()));
        }
        return ConsoleResponse.status(
                status,
                "operator-accounts.jte",
                "Accounts",
                "accounts",
                new Views.Accounts(rows, created, name, error));
    }

    private ConsoleResponse createAccount(Call call) {
        String name = call.form().get("name").strip();
        try {
            return accounts(Optional.of(s.accounts().create(name)), "", "", 200);
        } catch (PoolMtaException e) {
            return accounts(Optional.empty(), name, e.getMessage(), 400);
        }
    }

    private ConsoleResponse ips(Call call, String message, String error, Form form, int status) {
        Map<String, String> names = new HashMap<>();
        List<String> accountNames = new ArrayList<>();
        for (Account a : s.accounts().all()) {
            names.put(a.id(), a.name());
            accountNames.add(a.name());
        }
        Optional<String> only = call.request().query().first("account").filter(a -> !a.isEmpty());
        Instant now = s.clock().instant();
        List<Views.IpInventoryRow> rows = new ArrayList<>();
        Map<String, Integer> byRole = new TreeMap<>();
        Map<String, Views.InventoryGroup> groups = new TreeMap<>();
        for (SendingIp ip : s.leases().all()) {
            String account =
                    ip.accountId().map(id -> names.getOrDefault(id, id)).orElse("");
            if (only.isPresent() && !only.get().equals(account)) {
                continue;
            }
            String pool = switch (ip.role()) {
                case DEDICATED -> ip.poolName().orElse(PoolNames.DEFAULT_POOL);
                case SHARED -> PoolNames.SHARED_POOL;
                case RESERVE -> "(reserve)";
            };
            String warmup = "—";
            if (ip.role() == IpRole.DEDICATED) {
                WarmupProgress progress = s.plan().progress(ip.warmup(), now);
                warmup = progress.status() + " " + progress.percentage() + "%";
            }
            rows.add(new Views.IpInventoryRow(
                    ip.address().text(),
                    ip.role().name(),
                    account,
                    pool,
                    warmup,
                    ip.warmup().paused()));
            byRole.merge(ip.role().name(), 1, Integer::sum);
            String key = ip.role() + "/" + account + "/" + pool;
            Views.InventoryGroup group = groups.get(key);
            groups.put(
                    key,
                    new Views.InventoryGroup(ip.role().name(), account, pool, group == null ? 1 : group.ips() + 1));
        }
        return ConsoleResponse.status(
                status,
                "operator-ips.jte",
                "IP inventory",
                "ips",
                new Views.Inventory(
                        rows,
                        List.copyOf(groups.values()),
                        byRole,
                        accountNames,
                        only.orElse(""),
                        message,
                        error,
                        form.get("addresses")));
    }

    private ConsoleResponse lease(Call call) {
        Form form = call.form();
        List<String> addresses = Arrays.stream(form.get("addresses").split("[,\\s]+"))
                .filter(a -> !a.isBlank())
                .toList();
        try {
            IpRole role = IpRole.valueOf(form.get("role").toUpperCase(Locale.ROOT));
            Optional<String> account = role == IpRole.DEDICATED ? Optional.of(form.get("account")) : Optional.empty();
            s.leases().add(addresses, role, account, Optional.empty());
            return ips(
                    call,
                    "Added " + String.join(", ", addresses) + " as " + role
                            + account.map(a -> " for " + a).orElse("") + ".",
                    "",
                    Form.EMPTY,
                    200);
        } catch (IllegalArgumentException e) {
            return ips(call, "", "Role must be DEDICATED, SHARED or RESERVE.", form, 400);
        } catch (PoolMtaException e) {
            return ips(call, "", e.getMessage(), form, 400);
        }
    }

    private ConsoleResponse release(Call call) {
        String ip = call.label("ip");
        try {
            s.leases().remove(ip);
        } catch (PoolMtaException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw e;
            }
            return ips(call, "", e.getMessage(), Form.EMPTY, 400);
        }
        return ips(call, "Released " + ip + ".", "", Form.EMPTY, 200);
    }

    private ConsoleResponse pauseOrResume(Call call) {
        String ip = call.label("ip");
        boolean pause = call.form().get("warmup").equals("pause");
        try {
            if (pause) {
                s.leases().pauseWarmup(ip);
            } else {
                s.leases().resumeWarmup(ip);
            }
        } catch (PoolMtaException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw e;
            }
            return ips(call, "", e.getMessage(), Form.EMPTY, 400);
        }
        return ips(
                call, (pause ? "Paused the warm-up of " : "Resumed the warm-up of ") + ip + ".", "", Form.EMPTY, 200);
    }

    private ConsoleResponse routes(String message, String error, Form form, int status) {
        List<Views.RouteRow> rows = s.routes().all().stream()
                .map(r -> new Views.RouteRow(r.domain(), r.nextHop()))
                .toList();
        return ConsoleResponse.status(
                status,
                "operator-routes.jte",
                "Routes",
                "routes",
                new Views.Routes(rows, form.get("domain"), form.get("next-hop"), message, error));
    }

    /** PUT /routes/{Domain}: a route for a domain replaces the one it had. */
    private ConsoleResponse setRoute(Call call) {
        Form form = call.form();
        try {
            var route = s.routes()
                    .set(form.get("domain").strip(), form.get("next-hop").strip());
            return routes("Mail for " + route.domain() + " goes to " + route.nextHop() + ".", "", Form.EMPTY, 200);
        } catch (PoolMtaException e) {
            return routes("", e.getMessage(), form, 400);
        }
    }

    private ConsoleResponse deleteRoute(Call call) {
        String domain = call.label("domain");
        s.routes().delete(domain); // NotFound is a 404 page with the admin API's message
        return routes("Removed the route of " + domain + ".", "", Form.EMPTY, 200);
    }
}
