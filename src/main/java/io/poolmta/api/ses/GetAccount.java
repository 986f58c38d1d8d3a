package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.api.Json;
import io.poolmta.reputation.EnforcementStatus;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * GET /v2/email/account: sending status, quota, the auto warm-up setting and the reputation
 * enforcement status (HEALTHY, PROBATION, SHUTDOWN); a SHUTDOWN account has SendingEnabled false.
 */
public final class GetAccount implements SesOperation {
    private final AccountService accounts;
    private final ToLongFunction<String> sentLast24Hours;
    private final Function<String, EnforcementStatus> enforcement;

    /** @param sentLast24Hours messages the account sent in the last 24 hours, by account id */
    public GetAccount(AccountService accounts, ToLongFunction<String> sentLast24Hours) {
        this(accounts, sentLast24Hours, id -> EnforcementStatus.HEALTHY);
    }

    /** @param enforcement the account's enforcement status, by account id */
    public GetAccount(
            AccountService accounts,
            ToLongFunction<String> sentLast24Hours,
            Function<String, EnforcementStatus> enforcement) {
        this.accounts = accounts;
        this.sentLast24Hours = sentLast24Hours;
        this.enforcement = enforcement;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        Account account = accounts.get(call.accountId());
        ObjectNode out = Json.object();
        out.put("DedicatedIpAutoWarmupEnabled", account.dedicatedIpAutoWarmupEnabled());
        EnforcementStatus status = enforcement.apply(account.id());
        out.put("EnforcementStatus", status.name());
        out.put("ProductionAccessEnabled", true);
        out.put("SendingEnabled", account.sendingEnabled() && status != EnforcementStatus.SHUTDOWN);
        ObjectNode quota = out.putObject("SendQuota");
        quota.put("Max24HourSend", (double) account.sendQuota().max24HourSend());
        quota.put("MaxSendRate", account.sendQuota().maxSendRate());
        quota.put("SentLast24Hours", (double) sentLast24Hours.applyAsLong(account.id()));
        out.putObject("SuppressionAttributes").putArray("SuppressedReasons");
        return out;
    }
}
