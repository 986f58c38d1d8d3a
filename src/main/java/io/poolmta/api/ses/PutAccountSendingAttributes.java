package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.AccountService;

/**
 * PUT /v2/email/account/sending: SendingEnabled pauses (false) or resumes (true) all sending of
 * the account. As in SES, an account cannot resume sending the operator paused (BadRequest).
 */
public final class PutAccountSendingAttributes implements SesOperation {
    private final AccountService accounts;

    public PutAccountSendingAttributes(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        // The model makes SendingEnabled optional; absent means false, as AWS SDKs send it.
        accounts.setSendingEnabled(
                call.accountId(), call.body().optionalBoolean("SendingEnabled").orElse(false));
        return SesShapes.empty();
    }
}
