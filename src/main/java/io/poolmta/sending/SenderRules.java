package io.poolmta.sending;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.identity.BehaviorOnMxFailure;
import io.poolmta.identity.DkimSigner;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.MailFromAttributes;
import io.poolmta.identity.SenderIdentities;
import io.poolmta.identity.VerificationStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the account's verified identities decide about a message, by SES's rules:
 * <ul>
 *   <li>every sender address (From, Sender, the envelope's or API's sender) must be covered by a
 *       verified identity of the account, else SENDER_NOT_VERIFIED naming each one that is not
 *       (SES's MessageRejected text);</li>
 *   <li>the configuration set of a message that names none is the default set of the most
 *       specific identity covering its From address that has one;</li>
 *   <li>the envelope sender on the wire is on the custom MAIL FROM domain of the most specific
 *       covering identity that has one, when its status is SUCCESS; when it is not, that
 *       identity's BehaviorOnMxFailure decides: USE_DEFAULT_VALUE → the operator's bounce domain,
 *       REJECT_MESSAGE → MAIL_FROM_DOMAIN_NOT_VERIFIED; without one, the bounce domain;</li>
 *   <li>the DKIM signer is the most specific covering domain identity that signs, if any.</li>
 * </ul>
 * Reads only in-memory state ({@link SenderIdentities}).
 */
public final class SenderRules {
    /**
     * PoolMTA's identities are the same in every region: refusals name the region the API request
     * was signed for ({@link #inRegion}); over SMTP, where there is none, this one.
     */
    public static final String ANY_REGION = "ANY";

    private static final String NOT_VERIFIED =
            "Email address is not verified. The following identities failed the check in region ";

    /** What the identities decided for one message. */
    public record Decision(Optional<String> configurationSet, String returnPathDomain, Optional<DkimSigner> signer) {}

    private final SenderIdentities identities;
    private final String bounceDomain;

    public SenderRules(SenderIdentities identities, String bounceDomain) {
        this.identities = identities;
        this.bounceDomain = bounceDomain.toLowerCase(Locale.ROOT);
    }

    public String bounceDomain() {
        return bounceDomain;
    }

    /** The operator's own mail: no identity to check, no signature, the bounce domain. */
    public Decision operatorMail() {
        return new Decision(Optional.empty(), bounceDomain, Optional.empty());
    }

    /**
     * Checks {@code senders} (the From address first) and decides for the message; throws the
     * refusal when a sender is not verified or its MAIL FROM domain says so.
     */
    public Decision decide(String accountId, List<String> senders) {
        if (senders.isEmpty()) {
            throw new PoolMtaException(
                    ErrorKind.MESSAGE_REJECTED, "The message has no From address a verified identity could cover.");
        }
        List<EmailIdentity> fromIdentities = List.of();
        List<String> failed = new ArrayList<>();
        for (String sender : new LinkedHashSet<>(senders)) {
            List<EmailIdentity> covering = identities.covering(accountId, sender);
            if (covering.isEmpty()) {
                failed.add(sender);
            } else if (sender.equals(senders.get(0))) {
                fromIdentities = covering;
            }
        }
        if (!failed.isEmpty()) {
            throw notVerified(failed);
        }
        return new Decision(
                defaultSet(fromIdentities), returnPathDomain(fromIdentities), identities.signerFor(fromIdentities));
    }

    /** Only the check: every address must be covered (SendBulkEmail checks its From once per call). */
    public void requireVerified(String accountId, List<String> senders) {
        List<String> failed = new ArrayList<>();
        for (String sender : new LinkedHashSet<>(senders)) {
            if (!identities.verified(accountId, sender)) {
                failed.add(sender);
            }
        }
        if (!failed.isEmpty()) {
            throw notVerified(failed);
        }
    }

    /** A SENDER_NOT_VERIFIED refusal made to name {@code region} (as SES writes it, upper case). */
    public static PoolMtaException inRegion(PoolMtaException refusal, String region) {
        if (refusal.kind() != ErrorKind.SENDER_NOT_VERIFIED || region == null || region.isEmpty()) {
            return refusal;
        }
        return new PoolMtaException(
                refusal.kind(),
                refusal.getMessage()
                        .replace(
                                "in region " + ANY_REGION + ":", "in region " + region.toUpperCase(Locale.ROOT) + ":"));
    }

    private static PoolMtaException notVerified(List<String> failed) {
        return new PoolMtaException(
                ErrorKind.SENDER_NOT_VERIFIED, NOT_VERIFIED + ANY_REGION + ": " + String.join(", ", failed));
    }

    private static Optional<String> defaultSet(List<EmailIdentity> covering) {
        for (EmailIdentity identity : covering) {
            if (identity.configurationSetName().isPresent()) {
                return identity.configurationSetName();
            }
        }
        return Optional.empty();
    }

    private String returnPathDomain(List<EmailIdentity> covering) {
        for (EmailIdentity identity : covering) {
            MailFromAttributes mailFrom = identity.mailFrom();
            if (mailFrom.domain().isEmpty()) {
                continue;
            }
            if (mailFrom.status() == VerificationStatus.SUCCESS) {
                return mailFrom.domain().get();
            }
            if (mailFrom.behaviorOnMxFailure() == BehaviorOnMxFailure.REJECT_MESSAGE) {
                throw new PoolMtaException(
                        ErrorKind.MAIL_FROM_DOMAIN_NOT_VERIFIED,
                        "The custom MAIL FROM domain " + mailFrom.domain().get() + " of identity "
                                + identity.name() + " is not verified (status " + mailFrom.status()
                                + ") and its BehaviorOnMxFailure is REJECT_MESSAGE.");
            }
            return bounceDomain;
        }
        return bounceDomain;
    }
}
