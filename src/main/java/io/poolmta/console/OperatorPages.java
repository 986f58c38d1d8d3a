package io.poolmta.console;

import io.poolmta.account.Account;
import io.poolmta.account.NewAccount;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.http.Router;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.SendingIp;
import io.poolmta.pool.PoolNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's pages: accounts (list, create — the new account's keys are shown once) and the IP
 * inventory (every address with its role, account, pool and warm-up; lease addresses to an account
 * or add them as shared or reserve; release an address). They call the services the admin API
 * calls.
 */
final class OperatorPages {
    private final ConsoleServices s;

    OperatorPages(ConsoleServices services) {
        this.s = services;
    }

    void register(Router<Page> router, List<NavItem> nav) {
        nav.add(new NavItem("accounts", "Accounts", "/console/operator/accounts"));
        nav.add(new NavItem("ips", "IP inventory", "/console/operator/ips"));
        router.add("GET", "/console/operator/accounts", call -> accounts(Optional.empty(), "", "", 200))
                .add("POST", "/console/operator/accounts", this::createAccount)
                .add("GET", "/console/operator/ips", call -> ips("", "", Form.EMPTY, 200))
                .add("POST", "/console/operator/ips", this::lease)
                .add("POST", "/console/operator/ips/{ip}/release", this::release);
    }

    private ConsoleResponse accounts(Optional<NewAccount> created, String name, String error, int status) {
        Map<String, Integer> counts = new HashMap<>();
        for (SendingIp ip : s.leases().all()) {
            ip.accountId().ifPresent(id -> counts.merge(id, 1, Integer::sum));
        }
        List<Views.AccountRow> rows = new ArrayList<>();
        for (Account a : s.accounts().all()) {
            rows.add(new Views.AccountRow(a.id(), a.name(), counts.getOrDefault(a.id(), 0), a.sendingEnabled()));
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

    private ConsoleResponse ips(String message, String error, Form form, int status) {
        Map<String, String> names = new HashMap<>();
        List<String> accountNames = new ArrayList<>();
        for (Account a : s.accounts().all()) {
            names.put(a.id(), a.name());
            accountNames.add(a.name());
        }
        Instant now = s.clock().instant();
        List<Views.IpInventoryRow> rows = new ArrayList<>();
        for (SendingIp ip : s.leases().all()) {
            String pool = switch (ip.role()) {
                case DEDICATED -> ip.poolName().orElse(PoolNames.DEFAULT_POOL);
                case SHARED -> PoolNames.SHARED_POOL;
                case RESERVE -> "(reserve)";
            };
            String warmup = ip.role() == IpRole.DEDICATED
                    ? s.plan().progress(ip.warmup(), now).percentage() + "%"
                    : "—";
            rows.add(new Views.IpInventoryRow(
                    ip.address().text(),
                    ip.role().name(),
                    ip.accountId().map(id -> names.getOrDefault(id, id)).orElse(""),
                    pool,
                    warmup,
                    ip.warmup().paused()));
        }
        return ConsoleResponse.status(
                status,
                "operator-ips.jte",
                "IP inventory",
                "ips",
                new Views.Inventory(rows, accountNames, message, error, form.get("addresses")));
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
                    "Added " + String.join(", ", addresses) + " as " + role
                            + account.map(a -> " for " + a).orElse("") + ".",
                    "",
                    Form.EMPTY,
                    200);
        } catch (IllegalArgumentException e) {
            return ips("", "Role must be DEDICATED, SHARED or RESERVE.", form, 400);
        } catch (PoolMtaException e) {
            return ips("", e.getMessage(), form, 400);
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
            return ips("", e.getMessage(), Form.EMPTY, 400);
        }
        return ips("Released " + ip + ".", "", Form.EMPTY, 200);
    }
}
