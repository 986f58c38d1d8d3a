package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountDetails;
import io.poolmta.account.AccountService;
import io.poolmta.account.NewAccount;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * POST /accounts creates an account (in the sandbox) with its first SigV4 key; GET /accounts lists
 * accounts with their production access, quota, pause and pending production-access requests;
 * POST /accounts/{Name}/production-access grants production access (optional Max24HourSend and
 * MaxSendRate, -1 for no limit); PUT /accounts/{Name}/sending pauses or resumes the account's
 * sending ({"SendingEnabled": false|true}).
 */
public final class AccountsAdmin {
    private final AccountService accounts;
    private final ToLongFunction<String> sentLast24Hours;

    public AccountsAdmin(AccountService accounts, ToLongFunction<String> sentLast24Hours) {
        this.accounts = accounts;
        this.sentLast24Hours = sentLast24Hours;
    }

    public void register(AdminApi api) {
        api.add("POST", "/accounts", (labels, query, body) -> {
            NewAccount created = accounts.create(body.requiredString("Name"));
            ObjectNode out = Json.object();
            out.put("AccountId", created.account().id());
            out.put("Name", created.account().name());
            out.put("AccessKeyId", created.key().accessKeyId());
            out.put("SecretAccessKey", created.key().secretAccessKey());
            return out;
        });
        api.add("GET", "/accounts", (labels, query, body) -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("Accounts");
            Map<String, AccountDetails> details = accounts.allDetails();
            for (Account a : accounts.all()) {
                describe(list.addObject(), a, Optional.ofNullable(details.get(a.id())));
            }
            return out;
        });
        api.add("POST", "/accounts/{Name}/production-access", (labels, query, body) -> {
            Account granted =
                    accounts.grantProductionAccess(labels.get("Name"), body.optionalLong("Max24HourSend"), rate(body));
            return describe(Json.object(), granted, accounts.details(granted.id()));
        });
        api.add("PUT", "/accounts/{Name}/sending", (labels, query, body) -> {
            boolean enabled = body.optionalBoolean("SendingEnabled")
                    .orElseThrow(() -> ApiException.badRequest("Field 'SendingEnabled' is required."));
            Account changed = accounts.setPausedByOperator(labels.get("Name"), !enabled);
            return describe(Json.object(), changed, accounts.details(changed.id()));
        });
    }

    private static Optional<Double> rate(JsonInput body) {
        if (!body.has("MaxSendRate")) {
            return Optional.empty();
        }
        if (!body.node().get("MaxSendRate").isNumber()) {
            throw ApiException.badRequest("Field 'MaxSendRate' must be a number.");
        }
        return Optional.of(body.node().get("MaxSendRate").doubleValue());
    }

    private ObjectNode describe(ObjectNode out, Account a, Optional<AccountDetails> details) {
        out.put("AccountId", a.id())
                .put("Name", a.name())
                .put("SendingEnabled", a.canSend())
                .put("PausedByOperator", a.pausedByOperator())
                .put("ProductionAccessEnabled", a.productionAccessEnabled())
                .put("DedicatedIpAutoWarmupEnabled", a.dedicatedIpAutoWarmupEnabled())
                .put("Max24HourSend", a.sendQuota().max24HourSend())
                .put("MaxSendRate", a.sendQuota().maxSendRate())
                .put("SentLast24Hours", sentLast24Hours.applyAsLong(a.id()));
        out.put(
                "Review",
                details.flatMap(AccountDetails::review).map(Enum::name).orElse(""));
        details.ifPresent(d -> {
            ObjectNode request = out.putObject("Details");
            request.put("MailType", d.mailType().name())
                    .put("WebsiteURL", d.websiteUrl())
                    .put("SubmittedAt", d.submittedAt().toString());
            d.contactLanguage().ifPresent(l -> request.put("ContactLanguage", l.name()));
            d.useCaseDescription().ifPresent(u -> request.put("UseCaseDescription", u));
            ArrayNode contacts = request.putArray("AdditionalContactEmailAddresses");
            d.additionalContactEmailAddresses().forEach(contacts::add);
        });
        return out;
    }
}
