package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.api.Json;
import io.poolmta.identity.SendingIpCheck;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GET /ips/{IP}/check: the egress self-test of one sending address ({@link SendingIpCheck}): bind,
 * PTR against the EHLO name, forward confirmation, and the SPF verdict of every account's From and
 * MAIL FROM domains, with the problems found in words.
 */
public final class IpCheckAdmin {
    private final SendingIpCheck check;
    private final AccountService accounts;

    public IpCheckAdmin(SendingIpCheck check, AccountService accounts) {
        this.check = check;
        this.accounts = accounts;
    }

    public void register(AdminApi api) {
        api.add("GET", "/ips/{IP}/check", (labels, query, body) -> render(check.check(labels.get("IP"))));
    }

    private ObjectNode render(SendingIpCheck.Report report) {
        Map<String, String> names = accounts.all().stream().collect(Collectors.toMap(Account::id, Account::name));
        ObjectNode out = Json.object();
        out.put("Ip", report.ip())
                .put("Registered", report.registered())
                .put("CanBind", report.canBind())
                .put("EhloName", report.ehloName().orElse(""))
                .put("PtrMatchesEhlo", report.ptrMatchesEhlo())
                .put("ForwardConfirmed", report.forwardConfirmed())
                .put("Ok", report.ok());
        ArrayNode ptr = out.putArray("PtrNames");
        report.ptrNames().forEach(ptr::add);
        ArrayNode spf = out.putArray("Spf");
        for (SendingIpCheck.SpfDomain d : report.spf()) {
            spf.addObject()
                    .put("Account", names.getOrDefault(d.accountId(), d.accountId()))
                    .put("Identity", d.identity())
                    .put("Domain", d.domain())
                    .put("Use", d.use())
                    .put("Result", d.result().name())
                    .put("Covers", d.covers());
        }
        ArrayNode problems = out.putArray("Problems");
        report.problems().forEach(problems::add);
        return out;
    }
}
