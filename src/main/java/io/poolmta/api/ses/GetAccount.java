package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.api.Json;
import io.poolmta.suppression.SuppressionReason;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** GET /v2/email/account: sending status, quota, the auto warm-up setting and the suppressed reasons. */
public final class GetAccount implements SesOperation {
    private final AccountService accounts;
    private final ToLongFunction<String> sentLast24Hours;
    private final Function<String, Set<SuppressionReason>> suppressedReasons;

    /**
     * @param sentLast24Hours messages the account sent in the last 24 hours, by account id
     * @param suppressedReasons the account's SuppressedReasons, by account id
     */
    public GetAccount(
            AccountService accounts,
            ToLongFunction<String> sentLast24Hours,
            Function<String, Set<SuppressionReason>> suppressedReasons) {
        this.accounts = accounts;
        this.sentLast24Hours = sentLast24Hours;
        this.suppressedReasons = suppressedReasons;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        Account account = accounts.get(call.accountId());
        ObjectNode out = Json.object();
        out.put("DedicatedIpAutoWarmupEnabled", account.dedicatedIpAutoWarmupEnabled());
        out.put("EnforcementStatus", "HEALTHY");
        out.put("ProductionAccessEnabled", true);
        out.put("SendingEnabled", account.sendingEnabled());
        ObjectNode quota = out.putObject("SendQuota");
        quota.put("Max24HourSend", (double) account.sendQuota().max24HourSend());
        quota.put("MaxSendRate", account.sendQuota().maxSendRate());
        quota.put("SentLast24Hours", (double) sentLast24Hours.applyAsLong(account.id()));
        ArrayNode reasons = out.putObject("SuppressionAttributes").putArray("SuppressedReasons");
        suppressedReasons.apply(account.id()).forEach(r -> reasons.add(r.name()));
        return out;
    }
}
