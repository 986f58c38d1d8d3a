package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountDetails;
import io.poolmta.account.AccountService;
import io.poolmta.api.Json;
import io.poolmta.reputation.EnforcementStatus;
import io.poolmta.suppression.SuppressionReason;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * GET /v2/email/account: sending status (paused by the account or the operator), production
 * access, the quota with the real rolling SentLast24Hours, the auto warm-up setting, the suppressed
 * reasons, the reputation enforcement status (HEALTHY, PROBATION, SHUTDOWN; a SHUTDOWN account has
 * SendingEnabled false), and the Details the account gave with PutAccountDetails (with
 * ReviewDetails when it asked for production access).
 */
public final class GetAccount implements SesOperation {
    private final AccountService accounts;
    private final ToLongFunction<String> sentLast24Hours;
    private final Function<String, Set<SuppressionReason>> suppressedReasons;
    private final Function<String, EnforcementStatus> enforcement;

    /**
     * @param sentLast24Hours recipients the account sent to in the last 24 hours, by account id
     * @param suppressedReasons the account's SuppressedReasons, by account id
     * @param enforcement the account's enforcement status, by account id
     */
    public GetAccount(
            AccountService accounts,
            ToLongFunction<String> sentLast24Hours,
            Function<String, Set<SuppressionReason>> suppressedReasons,
            Function<String, EnforcementStatus> enforcement) {
        this.accounts = accounts;
        this.sentLast24Hours = sentLast24Hours;
        this.suppressedReasons = suppressedReasons;
        this.enforcement = enforcement;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        Account account = accounts.get(call.accountId());
        ObjectNode out = Json.object();
        out.put("DedicatedIpAutoWarmupEnabled", account.dedicatedIpAutoWarmupEnabled());
        EnforcementStatus status = enforcement.apply(account.id());
        out.put("EnforcementStatus", status.name());
        out.put("ProductionAccessEnabled", account.productionAccessEnabled());
        out.put("SendingEnabled", account.canSend() && status != EnforcementStatus.SHUTDOWN);
        ObjectNode quota = out.putObject("SendQuota");
        quota.put("Max24HourSend", (double) account.sendQuota().max24HourSend());
        quota.put("MaxSendRate", account.sendQuota().maxSendRate());
        quota.put("SentLast24Hours", (double) sentLast24Hours.applyAsLong(account.id()));
        ArrayNode reasons = out.putObject("SuppressionAttributes").putArray("SuppressedReasons");
        suppressedReasons.apply(account.id()).forEach(r -> reasons.add(r.name()));
        accounts.details(account.id()).ifPresent(d -> details(out.putObject("Details"), d));
        return out;
    }

    private static void details(ObjectNode out, AccountDetails d) {
        out.put("MailType", d.mailType().name());
        out.put("WebsiteURL", d.websiteUrl());
        d.contactLanguage().ifPresent(l -> out.put("ContactLanguage", l.name()));
        d.useCaseDescription().ifPresent(u -> out.put("UseCaseDescription", u));
        if (!d.additionalContactEmailAddresses().isEmpty()) {
            ArrayNode contacts = out.putArray("AdditionalContactEmailAddresses");
            d.additionalContactEmailAddresses().forEach(contacts::add);
        }
        d.review().ifPresent(r -> out.putObject("ReviewDetails").put("Status", r.name()));
    }
}
