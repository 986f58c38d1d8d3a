package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.AccountService;

/** PUT /v2/email/account/dedicated-ips/warmup: AutoWarmupEnabled for IPs leased from now on. */
public final class PutAccountDedicatedIpWarmupAttributes implements SesOperation {
    private final AccountService accounts;

    public PutAccountDedicatedIpWarmupAttributes(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        // The model makes AutoWarmupEnabled optional; absent means false, as AWS SDKs send it.
        accounts.setAutoWarmup(
                call.accountId(),
                call.body().optionalBoolean("AutoWarmupEnabled").orElse(false));
        return SesShapes.empty();
    }
}
