package io.poolmta.identity;

import io.poolmta.common.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks domain identities' DKIM records in DNS, as SES does: each due domain's TXT record at
 * {@code <selector>._domainkey.<domain>} is looked up and must carry its public key
 * ({@code p=}). PENDING becomes SUCCESS when it is found, and FAILED when it has not been found 72
 * hours after the key was made; SUCCESS becomes TEMPORARY_FAILURE when the record is gone (or DNS
 * fails), which becomes SUCCESS again when it is back, or FAILED after 72 more hours. FAILED
 * domains are not checked again until they get a new key. Domains the operator vouched for are
 * left alone. {@link #checkDue} is one pass at a given instant: the server runs it on a schedule,
 * tests call it with their clock. Lookups run outside any transaction; a result is applied only
 * if the domain still has the key that was looked up.
 * <p>
 * Key rotation: while a verified domain has a {@link KeyRotation}, the next key's record is looked
 * up on each pass too (every {@link #WAITING_INTERVAL}); once its record is found the next key
 * becomes the current one (it signs from then on), and the old key's private half is deleted. The
 * old selector's record may then be removed from the zone.
 */
public final class DkimVerification {
    /** How long a record may stay missing before the domain is FAILED. */
    public static final Duration GIVE_UP_AFTER = RecordStatus.GIVE_UP_AFTER;
    /** How often a domain waiting for its record (PENDING, TEMPORARY_FAILURE) is looked up. */
    public static final Duration WAITING_INTERVAL = Duration.ofMinutes(5);
    /** How often a verified domain's record is looked up again. */
    public static final Duration VERIFIED_INTERVAL = Duration.ofHours(1);

    private static final Pattern TAG_SEPARATOR = Pattern.compile(";");

    /** One domain whose status changed in a pass. */
    public record Change(String accountId, String domain, VerificationStatus from, VerificationStatus to) {}

    private final IdentityStore store;
    private final TxtLookup dns;
    private final Transactions tx;
    private final Optional<DkimKeyStore> keys;
    private final Optional<DkimSigners> signers;

    public DkimVerification(IdentityStore store, TxtLookup dns, Transactions tx) {
        this(store, dns, tx, Optional.empty(), Optional.empty());
    }

    /** Also drops the old private key and its cached signer when a rotation completes. */
    public DkimVerification(
            IdentityStore store, TxtLookup dns, Transactions tx, DkimKeyStore keys, DkimSigners signers) {
        this(store, dns, tx, Optional.of(keys), Optional.of(signers));
    }

    private DkimVerification(
            IdentityStore store,
            TxtLookup dns,
            Transactions tx,
            Optional<DkimKeyStore> keys,
            Optional<DkimSigners> signers) {
        this.store = store;
        this.dns = dns;
        this.tx = tx;
        this.keys = keys;
        this.signers = signers;
    }

    /** Looks up every domain that is due at {@code now} and applies what was found. */
    public List<Change> checkDue(Instant now) {
        List<Change> changes = new ArrayList<>();
        for (EmailIdentity identity : store.domains()) {
            if (due(identity, now)) {
                check(identity, now).ifPresent(changes::add);
            }
        }
        return changes;
    }

    static boolean due(EmailIdentity identity, Instant now) {
        DkimAttributes dkim = identity.dkim();
        if (identity.operatorVouched() || dkim.key().isEmpty()) {
            return false;
        }
        Duration interval = switch (dkim.status()) {
            case PENDING, TEMPORARY_FAILURE -> WAITING_INTERVAL;
            case SUCCESS -> dkim.rotation().isPresent() ? WAITING_INTERVAL : VERIFIED_INTERVAL;
            case FAILED, NOT_STARTED -> null;
        };
        if (interval == null) {
            return false;
        }
        return dkim.info()
                .lastChecked()
                .map(last -> !last.plus(interval).isAfter(now))
                .orElse(true);
    }

    private Optional<Change> check(EmailIdentity identity, Instant now) {
        DkimKey key = identity.dkim().key().orElseThrow();
        Optional<VerificationError> failure = outcome(dns.lookup(key.recordName(identity.name())), key);
        // a rotation's next key takes over once its record is found, whether or not the old record
        // is still there (an account may replace one record by the other in a single zone change)
        Optional<KeyRotation> rotation = identity.dkim().rotation();
        boolean nextFound = rotation.isPresent()
                && outcome(
                                dns.lookup(rotation.get().key().recordName(identity.name())),
                                rotation.get().key())
                        .isEmpty();
        Optional<VerificationError> result = nextFound ? Optional.empty() : failure;
        Optional<Change> change = tx.write(() -> {
            Optional<EmailIdentity> current = store.get(identity.accountId(), identity.name());
            if (current.isEmpty()
                    || !current.get().dkim().selector().equals(identity.dkim().selector())
                    || !current.get().dkim().rotation().equals(rotation)
                    || current.get().operatorVouched()) {
                return Optional.empty(); // deleted, re-keyed or vouched for meanwhile
            }
            DkimAttributes dkim = current.get().dkim();
            VerificationStatus next = next(dkim, result, now);
            DkimAttributes checked = dkim.checked(next, now, result);
            if (nextFound && next == VerificationStatus.SUCCESS) {
                checked = checked.rotated(now);
            }
            store.update(current.get().withDkim(checked));
            return next == dkim.status()
                    ? Optional.<Change>empty()
                    : Optional.of(new Change(identity.accountId(), identity.name(), dkim.status(), next));
        });
        if (nextFound
                && store.get(identity.accountId(), identity.name())
                        .flatMap(i -> i.dkim().selector())
                        .equals(Optional.of(rotation.get().key().selector()))) {
            keys.ifPresent(k -> k.delete(identity.accountId(), identity.name(), key.selector()));
            signers.ifPresent(s -> s.forget(identity.accountId(), identity.name()));
        }
        return change;
    }

    private static VerificationStatus next(DkimAttributes dkim, Optional<VerificationError> failure, Instant now) {
        return RecordStatus.next(dkim.status(), dkim.statusSince(), failure.isEmpty(), now);
    }

    /** Empty when a record carries the key; otherwise why not. */
    static Optional<VerificationError> outcome(TxtLookup.Result result, DkimKey key) {
        return switch (result) {
            case TxtLookup.Found found ->
                found.records().stream().anyMatch(r -> carries(r, key))
                        ? Optional.empty()
                        : Optional.of(VerificationError.INVALID_VALUE);
            case TxtLookup.Missing missing -> Optional.of(missing.why());
            case TxtLookup.Failed failed -> Optional.of(VerificationError.DNS_SERVER_ERROR);
        };
    }

    /** Whether a TXT record is a DKIM key record (RFC 6376 §3.6.1) with this public key. */
    static boolean carries(String record, DkimKey key) {
        Map<String, String> tags = new java.util.HashMap<>();
        for (String part : TAG_SEPARATOR.split(record)) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                tags.put(
                        part.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                        part.substring(eq + 1).replaceAll("\\s", ""));
            }
        }
        String version = tags.getOrDefault("v", "DKIM1");
        String type = tags.getOrDefault("k", "rsa");
        return version.equals("DKIM1")
                && type.equalsIgnoreCase("rsa")
                && key.publicKeyBase64().equals(tags.get("p"));
    }
}
