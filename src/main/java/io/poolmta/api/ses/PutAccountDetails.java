package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.AccountDetails;
import io.poolmta.account.AccountService;
import io.poolmta.account.ContactLanguage;
import io.poolmta.account.MailType;
import io.poolmta.api.ApiException;
import io.poolmta.api.JsonInput;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * POST /v2/email/account/details: MailType and WebsiteURL (required), ContactLanguage,
 * UseCaseDescription, AdditionalContactEmailAddresses (1-4) and ProductionAccessEnabled. Records
 * them for the operator; with ProductionAccessEnabled true it asks for production access (review
 * PENDING until the operator grants it; ConflictException while a request is pending).
 */
public final class PutAccountDetails implements SesOperation {
    private final AccountService accounts;

    public PutAccountDetails(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        JsonInput body = call.body();
        MailType mailType = body.optionalEnum("MailType", MailType.class)
                .orElseThrow(() -> ApiException.badRequest("Field 'MailType' is required."));
        String website = body.optionalString("WebsiteURL")
                .orElseThrow(() -> ApiException.badRequest("Field 'WebsiteURL' is required."));
        List<String> contacts = body.optionalList("AdditionalContactEmailAddresses", JsonInput.Element::string)
                .map(list -> {
                    if (list.isEmpty()) {
                        throw ApiException.badRequest(
                                "AdditionalContactEmailAddresses must have 1-4 addresses, got 0.");
                    }
                    return list;
                })
                .orElse(List.of());
        AccountDetails details = new AccountDetails(
                mailType,
                website,
                body.optionalEnum("ContactLanguage", ContactLanguage.class),
                body.optionalString("UseCaseDescription"),
                contacts,
                Optional.empty(),
                Instant.EPOCH); // the service stamps the time it is recorded
        accounts.putDetails(
                call.accountId(),
                details,
                body.optionalBoolean("ProductionAccessEnabled").orElse(false));
        return SesShapes.empty();
    }
}
