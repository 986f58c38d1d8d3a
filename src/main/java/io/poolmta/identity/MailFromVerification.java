package io.poolmta.identity;

import io.poolmta.common.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks custom MAIL FROM domains in DNS, as SES does for MailFromDomainStatus: the domain must have
 * an MX record whose exchange is the operator's feedback host (where bounces to the envelope sender
 * arrive) and a TXT record that is an SPF record ({@code v=spf1 ...}). Both found: SUCCESS. The
 * status follows the DKIM rules ({@link RecordStatus}): PENDING until found, FAILED after 72 hours,
 * TEMPORARY_FAILURE when a found record disappears. It runs on the DKIM check's schedule and
 * intervals; {@link #checkDue} is one pass at a given instant. Lookups run outside any transaction;
 * a result is applied only if the identity still has the domain that was looked up.
 */
public final class MailFromVerification {
    /** One identity whose MAIL FROM status changed in a pass. */
    public record Change(
            String accountId, String identity, String mailFromDomain, VerificationStatus from, VerificationStatus to) {}

    private final IdentityStore store;
    private final DnsLookup dns;
    private final String feedbackHost;
    private final Transactions tx;

    /** @param feedbackHost the host name the MX record must point at */
    public MailFromVerification(IdentityStore store, DnsLookup dns, String feedbackHost, Transactions tx) {
        this.store = store;
        this.dns = dns;
        this.feedbackHost = host(feedbackHost);
        this.tx = tx;
    }

    public String feedbackHost() {
        return feedbackHost;
    }

    /** Looks up every MAIL FROM domain that is due at {@code now} and applies what was found. */
    public List<Change> checkDue(Instant now) {
        List<Change> changes = new ArrayList<>();
        for (EmailIdentity identity : store.all()) {
            if (due(identity.mailFrom(), now)) {
                check(identity, now).ifPresent(changes::add);
            }
        }
        return changes;
    }

    static boolean due(MailFromAttributes mailFrom, Instant now) {
        if (mailFrom.domain().isEmpty()) {
            return false;
        }
        Duration interval = switch (mailFrom.status()) {
            case PENDING, TEMPORARY_FAILURE -> DkimVerification.WAITING_INTERVAL;
            case SUCCESS -> DkimVerification.VERIFIED_INTERVAL;
            case FAILED, NOT_STARTED -> null;
        };
        return interval != null
                && mailFrom.info()
                        .lastChecked()
                        .map(last -> !last.plus(interval).isAfter(now))
                        .orElse(true);
    }

    private Optional<Change> check(EmailIdentity identity, Instant now) {
        String domain = identity.mailFrom().domain().orElseThrow();
        Optional<VerificationError> failure = outcome(dns.lookup(domain, DnsLookup.RecordType.MX), feedbackHost)
                .or(() -> spfOutcome(dns.lookup(domain, DnsLookup.RecordType.TXT)));
        return tx.write(() -> {
            Optional<EmailIdentity> current = store.get(identity.accountId(), identity.name());
            if (current.isEmpty() || !current.get().mailFrom().domain().equals(Optional.of(domain))) {
                return Optional.empty(); // deleted or given another domain meanwhile
            }
            MailFromAttributes mailFrom = current.get().mailFrom();
            VerificationStatus next =
                    RecordStatus.next(mailFrom.status(), mailFrom.statusSince(), failure.isEmpty(), now);
            store.update(current.get().withMailFrom(mailFrom.checked(next, now, failure)));
            return next == mailFrom.status()
                    ? Optional.<Change>empty()
                    : Optional.of(new Change(identity.accountId(), identity.name(), domain, mailFrom.status(), next));
        });
    }

    /** Empty when an MX record points at the feedback host; otherwise why not. */
    static Optional<VerificationError> outcome(TxtLookup.Result mx, String feedbackHost) {
        return switch (mx) {
            case TxtLookup.Found found ->
                found.records().stream().anyMatch(h -> host(h).equals(feedbackHost))
                        ? Optional.empty()
                        : Optional.of(VerificationError.INVALID_VALUE);
            case TxtLookup.Missing missing -> Optional.of(missing.why());
            case TxtLookup.Failed failed -> Optional.of(VerificationError.DNS_SERVER_ERROR);
        };
    }

    /** Empty when a TXT record is an SPF record; otherwise why not. */
    static Optional<VerificationError> spfOutcome(TxtLookup.Result txt) {
        return switch (txt) {
            case TxtLookup.Found found ->
                found.records().stream().anyMatch(Spf::isSpfRecord)
                        ? Optional.empty()
                        : Optional.of(VerificationError.INVALID_VALUE);
            case TxtLookup.Missing missing -> Optional.of(missing.why());
            case TxtLookup.Failed failed -> Optional.of(VerificationError.DNS_SERVER_ERROR);
        };
    }

    private static String host(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
