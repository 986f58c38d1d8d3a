package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.reputation.Enforcement;
import io.poolmta.reputation.ReputationPolicy;
import io.poolmta.reputation.Scope;
import io.poolmta.reputation.Standing;
import java.util.Optional;

/**
 * GET /reputation: the enforcement thresholds, every account's standing and its standing on the
 * shared pool, and every configuration set that is not HEALTHY, each with the figures it rests on.
 * POST /accounts/{Name}/reinstate: lifts a SHUTDOWN and gives a fresh start, to the account, or
 * with a body {@code {"ConfigurationSet": NAME}} to that set, or with {@code {"SharedPool": true}}
 * to the account's use of the shared pool; answers the standing after it.
 */
public final class ReputationAdmin {
    private final Enforcement enforcement;
    private final AccountService accounts;

    public ReputationAdmin(Enforcement enforcement, AccountService accounts) {
        this.enforcement = enforcement;
        this.accounts = accounts;
    }

    public void register(AdminApi api) {
        api.add("GET", "/reputation", (labels, query, body) -> {
            ObjectNode out = Json.object();
            ReputationPolicy p = enforcement.policy();
            out.putObject("Policy")
                    .put("BounceReviewRate", p.bounceReviewRate())
                    .put("BouncePauseRate", p.bouncePauseRate())
                    .put("ComplaintReviewRate", p.complaintReviewRate())
                    .put("ComplaintPauseRate", p.complaintPauseRate())
                    .put("WindowDays", p.window().toDays())
                    .put("MinimumSends", p.minimumSends())
                    .put("SharedPoolReviewSendRate", p.sharedPoolReviewSendRate());
            ArrayNode rows = out.putArray("Accounts");
            for (Account a : accounts.all()) {
                ObjectNode row = rows.addObject().put("Name", a.name()).put("AccountId", a.id());
                write(row.putObject("Account"), enforcement.standing(Scope.account(a.id())));
                write(row.putObject("SharedPool"), enforcement.standing(Scope.sharedPool(a.id())));
            }
            ArrayNode sets = out.putArray("ConfigurationSets");
            for (Standing s : enforcement.notHealthy()) {
                if (s.scope().kind() == Scope.Kind.CONFIGURATION_SET) {
                    ObjectNode row = sets.addObject()
                            .put("AccountId", s.scope().accountId())
                            .put("ConfigurationSet", s.scope().name());
                    write(row, s);
                }
            }
            return out;
        });
        api.add("POST", "/accounts/{Name}/reinstate", (labels, query, body) -> {
            Account account = accounts.byName(labels.get("Name"));
            Optional<String> set = body.optionalString("ConfigurationSet");
            boolean shared = body.optionalBoolean("SharedPool").orElse(false);
            if (set.isPresent() && shared) {
                throw ApiException.badRequest("Give ConfigurationSet or SharedPool, not both.");
            }
            Scope scope = set.map(name -> Scope.configurationSet(account.id(), name))
                    .orElse(shared ? Scope.sharedPool(account.id()) : Scope.account(account.id()));
            ObjectNode out = Json.object().put("Name", account.name()).put("AccountId", account.id());
            write(out, enforcement.reinstate(scope));
            return out;
        });
    }

    static void write(ObjectNode out, Standing s) {
        out.put("Status", s.status().name())
                .put("Sends", s.sends())
                .put("PermanentBounces", s.permanentBounces())
                .put("Complaints", s.complaints())
                .put("BounceRate", s.bounceRate())
                .put("ComplaintRate", s.complaintRate())
                .put("WindowStart", s.windowStart().toString());
        s.shutdownSince().ifPresent(t -> out.put("ShutdownSince", t.toString()));
        if (!s.reason().isEmpty()) {
            out.put("Reason", s.reason());
        }
    }
}
