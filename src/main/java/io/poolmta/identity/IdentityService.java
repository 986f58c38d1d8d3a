package io.poolmta.identity;

import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.Tag;
import io.poolmta.tag.TagStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The email identities of each account, by SES's rules. Names are validated and normalised first
 * (a bad name is BAD_REQUEST); an account only ever sees its own identities, so another account's
 * identity is NOT_FOUND exactly like one that does not exist. A new domain gets a DKIM key at once
 * (RSA 2048 unless asked for 1024, or the account's own key) and waits PENDING for its record; an
 * email address waits PENDING for verification. Private keys go to the {@link DkimKeyStore} only
 * and are never returned. The operator may vouch for an identity: verified without DNS, visibly.
 */
public final class IdentityService {
    public static final int MAX_IDENTITIES = 10_000;

    private final IdentityStore store;
    private final DkimKeyStore keys;
    private final DkimSigners signers;
    private final TagStore tags;
    private final BiPredicate<String, String> configurationSetExists;
    private final Transactions tx;
    private final Clock clock;

    public IdentityService(
            IdentityStore store,
            DkimKeyStore keys,
            DkimSigners signers,
            TagStore tags,
            BiPredicate<String, String> configurationSetExists,
            Transactions tx,
            Clock clock) {
        this.store = store;
        this.keys = keys;
        this.signers = signers;
        this.tags = tags;
        this.configurationSetExists = configurationSetExists;
        this.tx = tx;
        this.clock = clock;
    }

    public EmailIdentity create(String accountId, NewIdentity input) {
        IdentityNames.Parsed parsed = IdentityNames.parse(input.name());
        Tag.requireDistinctKeys(input.tags());
        if (parsed.type() == IdentityType.EMAIL_ADDRESS && input.signing().isPresent()) {
            throw PoolMtaException.badRequest("DkimSigningAttributes apply to domain identities only; " + parsed.name()
                    + " is an email address (it is signed with its domain's key).");
        }
        Optional<DkimKeys.Made> key = parsed.type() == IdentityType.DOMAIN
                ? Optional.of(makeKey(input.signing().orElse(emptySigning())))
                : Optional.empty();
        Instant now = clock.instant();
        return tx.write(() -> {
            if (store.get(accountId, parsed.name()).isPresent()) {
                throw PoolMtaException.alreadyExists("Email identity " + parsed.name() + " already exists.");
            }
            if (store.ofAccount(accountId).size() >= MAX_IDENTITIES) {
                throw PoolMtaException.limitExceeded(
                        "An account can have at most " + MAX_IDENTITIES + " email identities.");
            }
            input.configurationSetName().ifPresent(set -> requireSetExists(accountId, set));
            DkimAttributes dkim = DkimAttributes.none(now);
            if (key.isPresent()) {
                SigningOrigin origin =
                        input.signing().map(SigningInput::impliedOrigin).orElse(SigningOrigin.AWS_SES);
                DkimKeyLength next =
                        input.signing().flatMap(SigningInput::nextKeyLength).orElse(DkimKeyLength.DEFAULT);
                dkim = dkim.withSigningEnabled(true)
                        .withNextKeyLength(next)
                        .withKey(key.get().key(), origin, now);
                keys.save(
                        accountId,
                        parsed.name(),
                        key.get().key().selector(),
                        key.get().pkcs8());
            }
            EmailIdentity identity = new EmailIdentity(
                    accountId,
                    parsed.name(),
                    parsed.type(),
                    now,
                    VerificationStatus.PENDING,
                    false,
                    dkim,
                    MailFromAttributes.NONE,
                    true,
                    input.configurationSetName());
            store.insert(identity);
            if (!input.tags().isEmpty()) {
                tags.put(accountId, ResourceType.IDENTITY, parsed.name(), input.tags());
            }
            return identity;
        });
    }

    public EmailIdentity get(String accountId, String name) {
        String normal = IdentityNames.parse(name).name();
        return store.get(accountId, normal).orElseThrow(() -> notFound(normal));
    }

    public boolean exists(String accountId, String name) {
        try {
            return store.get(accountId, IdentityNames.parse(name).name()).isPresent();
        } catch (PoolMtaException invalid) {
            return false;
        }
    }

    /** The account's identities in name order. */
    public Page<EmailIdentity> list(String accountId, PageRequest page) {
        return page.slice(store.ofAccount(accountId), EmailIdentity::name);
    }

    public List<EmailIdentity> all(String accountId) {
        return store.ofAccount(accountId);
    }

    public void delete(String accountId, String name) {
        EmailIdentity identity = tx.write(() -> {
            EmailIdentity found = get(accountId, name);
            tags.removeAll(accountId, ResourceType.IDENTITY, found.name());
            store.delete(accountId, found.name());
            return found;
        });
        if (identity.type() == IdentityType.DOMAIN) {
            keys.deleteAll(accountId, identity.name());
            signers.forget(accountId, identity.name());
        }
    }

    public void putDkimSigningEnabled(String accountId, String name, boolean enabled) {
        change(accountId, name, identity -> identity.withDkim(identity.dkim().withSigningEnabled(enabled)));
    }

    /**
     * PutEmailIdentityDkimSigningAttributes. EXTERNAL: the account's key and selector replace the
     * current key, and the domain waits PENDING for the new record. AWS_SES from EXTERNAL: PoolMTA
     * makes a new key. AWS_SES already, with NextSigningKeyLength: a key rotation. A verified domain
     * gets a next key of that length under a new selector, published beside the current one, which
     * keeps signing until the next key's record is found ({@link DkimVerification} then switches);
     * a domain not verified yet simply gets the new key. AWS_SES already, without a length: nothing
     * changes.
     */
    public EmailIdentity putDkimSigningAttributes(
            String accountId, String name, SigningOrigin origin, Optional<SigningInput> attributes) {
        EmailIdentity current = get(accountId, name);
        if (current.type() != IdentityType.DOMAIN) {
            throw PoolMtaException.badRequest("DKIM signing attributes apply to domain identities only; "
                    + current.name() + " is an email address.");
        }
        SigningInput input = attributes.orElse(emptySigning());
        if (origin == SigningOrigin.AWS_SES
                && (input.selector().isPresent() || input.privateKey().isPresent())) {
            throw PoolMtaException.badRequest("DomainSigningSelector and DomainSigningPrivateKey go with"
                    + " SigningAttributesOrigin EXTERNAL; with AWS_SES PoolMTA makes the key.");
        }
        if (origin == SigningOrigin.EXTERNAL && input.nextKeyLength().isPresent()) {
            throw PoolMtaException.badRequest("NextSigningKeyLength goes with SigningAttributesOrigin AWS_SES.");
        }
        boolean newKey = origin == SigningOrigin.EXTERNAL || current.dkim().origin() == SigningOrigin.EXTERNAL;
        boolean rotate = !newKey && input.nextKeyLength().isPresent();
        Optional<DkimKeys.Made> key = newKey
                ? Optional.of(
                        origin == SigningOrigin.EXTERNAL
                                ? DkimKeys.external(
                                        input.selector().orElse(null),
                                        input.privateKey().orElse(null))
                                : DkimKeys.generate(input.nextKeyLength()
                                        .orElse(current.dkim().nextKeyLength())))
                : rotate ? Optional.of(DkimKeys.generate(input.nextKeyLength().get())) : Optional.empty();
        Instant now = clock.instant();
        EmailIdentity changed = tx.write(() -> {
            EmailIdentity identity = get(accountId, name);
            DkimAttributes dkim = identity.dkim();
            if (input.nextKeyLength().isPresent()) {
                dkim = dkim.withNextKeyLength(input.nextKeyLength().get());
            }
            if (key.isPresent()) {
                keys.save(
                        accountId,
                        identity.name(),
                        key.get().key().selector(),
                        key.get().pkcs8());
                boolean verified = dkim.status() == VerificationStatus.SUCCESS;
                if (rotate && verified) {
                    KeyRotation next = new KeyRotation(key.get().key(), now);
                    // a vouched domain is not looked up: its next key takes over at once
                    dkim = identity.operatorVouched() ? dkim.withRotation(next).rotated(now) : dkim.withRotation(next);
                } else {
                    dkim = dkim.withKey(key.get().key(), origin, now);
                }
            }
            EmailIdentity updated = identity.withDkim(dkim);
            store.update(updated);
            return updated;
        });
        if (key.isPresent()) {
            signers.forget(accountId, changed.name());
        }
        return changed;
    }

    /**
     * A custom MAIL FROM domain (a subdomain of the identity's domain), or none. A new domain starts
     * PENDING until {@link MailFromVerification} finds its MX and SPF records; the same domain again
     * keeps its status.
     */
    public void putMailFrom(
            String accountId, String name, Optional<String> mailFromDomain, BehaviorOnMxFailure behavior) {
        change(accountId, name, identity -> {
            Optional<String> domain = mailFromDomain.filter(d -> !d.isEmpty()).map(d -> {
                String normal = IdentityNames.domain(d, d);
                if (!normal.endsWith("." + identity.domain())) {
                    throw PoolMtaException.badRequest("MailFromDomain " + normal + " must be a subdomain of "
                            + identity.domain() + " (for example bounce." + identity.domain() + ").");
                }
                return normal;
            });
            MailFromAttributes current = identity.mailFrom();
            if (domain.isEmpty()) {
                return identity.withMailFrom(new MailFromAttributes(domain, VerificationStatus.NOT_STARTED, behavior));
            }
            if (domain.equals(current.domain())) {
                return identity.withMailFrom(new MailFromAttributes(
                        domain, current.status(), behavior, current.statusSince(), current.info()));
            }
            return identity.withMailFrom(new MailFromAttributes(
                    domain, VerificationStatus.PENDING, behavior, clock.instant(), VerificationInfo.NONE));
        });
    }

    public void putFeedbackForwarding(String accountId, String name, boolean enabled) {
        change(accountId, name, identity -> identity.withFeedbackForwarding(enabled));
    }

    /** The identity's default configuration set, or none. */
    public void putConfigurationSet(String accountId, String name, Optional<String> set) {
        change(accountId, name, identity -> {
            set.ifPresent(s -> requireSetExists(accountId, s));
            return identity.withConfigurationSetName(set);
        });
    }

    /** The operator's word that the identity is the account's: verified without DNS. */
    public EmailIdentity vouch(String accountId, String name) {
        return change(accountId, name, identity -> identity.vouched(clock.instant()));
    }

    /**
     * The DKIM records the account publishes for the identity: a domain's current key and, during a
     * rotation, the next key beside it; nothing for an address.
     */
    public List<DnsRecord> dnsRecords(EmailIdentity identity) {
        List<DnsRecord> records = new ArrayList<>();
        identity.dkim()
                .key()
                .ifPresent(
                        key -> records.add(new DnsRecord(key.recordName(identity.domain()), "TXT", key.recordValue())));
        identity.dkim()
                .rotation()
                .ifPresent(next -> records.add(new DnsRecord(
                        next.key().recordName(identity.domain()),
                        "TXT",
                        next.key().recordValue())));
        return records;
    }

    private EmailIdentity change(String accountId, String name, java.util.function.UnaryOperator<EmailIdentity> edit) {
        return tx.write(() -> {
            EmailIdentity updated = edit.apply(get(accountId, name));
            store.update(updated);
            return updated;
        });
    }

    private DkimKeys.Made makeKey(SigningInput signing) {
        if (signing.impliedOrigin() == SigningOrigin.EXTERNAL) {
            if (signing.nextKeyLength().isPresent()) {
                throw PoolMtaException.badRequest(
                        "NextSigningKeyLength goes with AWS_SES signing, not with an EXTERNAL key.");
            }
            return DkimKeys.external(
                    signing.selector().orElse(null), signing.privateKey().orElse(null));
        }
        if (signing.selector().isPresent() || signing.privateKey().isPresent()) {
            throw PoolMtaException.badRequest("DomainSigningSelector and DomainSigningPrivateKey go with"
                    + " DomainSigningAttributesOrigin EXTERNAL.");
        }
        return DkimKeys.generate(signing.nextKeyLength().orElse(DkimKeyLength.DEFAULT));
    }

    private void requireSetExists(String accountId, String set) {
        if (!configurationSetExists.test(accountId, set)) {
            throw PoolMtaException.notFound("Configuration set " + set + " does not exist.");
        }
    }

    private static SigningInput emptySigning() {
        return new SigningInput(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static PoolMtaException notFound(String name) {
        return PoolMtaException.notFound("Email identity " + name + " does not exist.");
    }
}
