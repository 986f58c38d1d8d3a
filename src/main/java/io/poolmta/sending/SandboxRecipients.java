package io.poolmta.sending;

import io.poolmta.account.Account;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The sandbox rule, as in SES: an account without production access sends only to addresses its
 * verified identities cover, i.e. an email-address identity of that exact address (local part as
 * written, domain in any case) or a domain identity of the address's domain or of a parent
 * domain. A message with any other recipient is refused whole with MESSAGE_REJECTED and SES's
 * text, naming the recipients that failed. Accounts with production access are not checked.
 */
public final class SandboxRecipients {
    private final Function<String, List<EmailIdentity>> identitiesOf;
    private final String region;

    /**
     * @param identitiesOf the identities of an account, by account id
     * @param region the name the refusal gives for where the check ran (SES names its region)
     */
    public SandboxRecipients(Function<String, List<EmailIdentity>> identitiesOf, String region) {
        this.identitiesOf = identitiesOf;
        this.region = region;
    }

    public void check(Account account, List<String> recipients) {
        if (account.productionAccessEnabled()) {
            return;
        }
        List<EmailIdentity> verified = identitiesOf.apply(account.id()).stream()
                .filter(EmailIdentity::verifiedForSending)
                .toList();
        List<String> failed = new ArrayList<>();
        for (String recipient : recipients) {
            if (!covered(recipient, verified)) {
                failed.add(recipient);
            }
        }
        if (!failed.isEmpty()) {
            throw new PoolMtaException(
                    ErrorKind.MESSAGE_REJECTED,
                    "Email address is not verified. The following identities failed the check in region " + region
                            + ": " + String.join(", ", failed));
        }
    }

    static boolean covered(String recipient, List<EmailIdentity> verified) {
        int at = recipient.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String local = recipient.substring(0, at);
        String domain = recipient.substring(at + 1).toLowerCase(Locale.ROOT);
        String address = local + "@" + domain;
        for (EmailIdentity identity : verified) {
            if (identity.type() == IdentityType.EMAIL_ADDRESS) {
                if (identity.name().equals(address)) {
                    return true;
                }
            } else if (domain.equals(identity.name()) || domain.endsWith("." + identity.name())) {
                return true;
            }
        }
        return false;
    }
}
