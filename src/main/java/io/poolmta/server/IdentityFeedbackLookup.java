package io.poolmta.server;

import io.poolmta.feedback.FeedbackIdentities;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityService;
import io.poolmta.identity.IdentityType;
import io.poolmta.identity.VerificationStatus;
import io.poolmta.message.Mailbox;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The feedback path's questions about identities, answered by the identity service. */
final class IdentityFeedbackLookup implements FeedbackIdentities {
    private final IdentityService identities;

    IdentityFeedbackLookup(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public boolean isMailFromDomain(String accountId, String domain) {
        return identities.all(accountId).stream()
                .anyMatch(i ->
                        i.mailFrom().domain().filter(domain::equalsIgnoreCase).isPresent()
                                && i.mailFrom().status() == VerificationStatus.SUCCESS);
    }

    @Override
    public boolean forwardsFeedback(String accountId, String fromAddress) {
        String address = fromAddress.toLowerCase(Locale.ROOT);
        List<EmailIdentity> all = identities.all(accountId);
        Optional<EmailIdentity> byAddress = all.stream()
                .filter(i -> i.type() == IdentityType.EMAIL_ADDRESS && i.name().equalsIgnoreCase(address))
                .findFirst();
        Optional<EmailIdentity> identity = byAddress.or(() -> Mailbox.domainOf(address)
                .flatMap(domain -> all.stream()
                        .filter(i -> i.type() == IdentityType.DOMAIN && i.name().equalsIgnoreCase(domain))
                        .findFirst()));
        return identity.map(EmailIdentity::feedbackForwarding).orElse(false);
    }
}
