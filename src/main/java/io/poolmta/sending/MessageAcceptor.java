package io.poolmta.sending;

import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.account.SendQuotaGate;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.SharedStrings;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.egress.SourceSelector;
import io.poolmta.events.EventPublisher;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.identity.DkimSigner;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
import io.poolmta.pool.PoolNames;
import io.poolmta.spool.Spool;
import io.poolmta.spool.SpoolException;
import io.poolmta.spool.SpooledMessage;
import io.poolmta.spool.StoredMessage;
import io.poolmta.suppression.SuppressionList;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Accepts a submission or refuses it with the SES error that says why:
 * <ul>
 *   <li>the account or the configuration set has sending paused → SENDING_PAUSED;</li>
 *   <li>the account is in the sandbox and a recipient is not covered by its verified identities →
 *       MESSAGE_REJECTED ({@link SandboxRecipients});</li>
 *   <li>the account is over its sending rate → THROTTLED, over its 24-hour quota → LIMIT_EXCEEDED
 *       ({@link SendQuotaGate}; each recipient counts as one, counted once the message is
 *       stored, never for a refused one);</li>
 *   <li>the configuration set does not exist → NOT_FOUND;</li>
 *   <li>the {@link SendingGate} (reputation enforcement) says no → its error;</li>
 *   <li>the pool the message would leave from has no IPs at all → NOT_FOUND naming the pool;
 *       mail is never re-routed to another pool (a MANAGED pool first gets an IP from the reserve
 *       through the {@link PoolProvisioner}; NOT_FOUND when the reserve is empty);</li>
 *   <li>no recipient, or more than 50 → MESSAGE_REJECTED;</li>
 *   <li>a sender address no verified identity of the account covers → SENDER_NOT_VERIFIED; a
 *       custom MAIL FROM domain that is not verified, with REJECT_MESSAGE →
 *       MAIL_FROM_DOMAIN_NOT_VERIFIED (see {@link SenderRules});</li>
 *   <li>the queue is at its {@link QueueLimit}, or the spool cannot store it → TOO_MANY_REQUESTS
 *       (back-pressure: try again).</li>
 * </ul>
 * A message that names no configuration set gets its From identity's default set (and so its
 * pool). A message whose From domain (or a parent) has a verified identity that signs is DKIM
 * signed here, once, before it is stored: the spool holds the signed bytes, so retries and every
 * destination send the same signature, and nothing PoolMTA does to the message later touches a
 * signed part (delivery only dot-stuffs, which the receiver undoes). The envelope keeps the
 * client's sender (the events' {@code mail.source}); MAIL FROM on the wire is the message's
 * return path, on the domain the {@link SenderRules} chose.
 * When {@link #accept} returns, the message is on stable storage and handed to the
 * {@link DeliveryQueue}, and a Send event is published. Recipients on the account's suppression
 * list ({@link SuppressionList}) are not sent to: each gets a Permanent/OnAccountSuppressionList
 * Bounce event at once; when every recipient is suppressed the message is accepted all the same
 * (its MessageId returned) and nothing is stored, as SES does.
 */
public final class MessageAcceptor {
    public static final int MAX_RECIPIENTS = 50;
    static final String SUPPRESSED_REPLY =
            "550 5.1.1 The address is on the account's suppression list;" + " PoolMTA did not send the message to it.";

    private final AccountService accounts;
    private final SenderRules senders;
    private final ConfigurationSetService sets;
    private final SourceSelector sources;
    private final PoolProvisioner provisioner;
    private final Spool spool;
    private final DeliveryQueue queue;
    private final EventPublisher events;
    private final SuppressionList suppression;
    private final Duration defaultMaxDelivery;
    private final QueueLimit queueLimit;
    private final SandboxRecipients sandbox;
    private final SendQuotaGate quota;
    private final Clock clock;
    private final SendingGate gate;
    /** Queued envelopes share one copy of each client address (a few clients send most mail). */
    private final SharedStrings sourceIps = new SharedStrings(4096);

    public MessageAcceptor(
            AccountService accounts,
            SenderRules senders,
            ConfigurationSetService sets,
            SourceSelector sources,
            PoolProvisioner provisioner,
            Spool spool,
            DeliveryQueue queue,
            EventPublisher events,
            SuppressionList suppression,
            Duration defaultMaxDelivery,
            QueueLimit queueLimit,
            SandboxRecipients sandbox,
            SendQuotaGate quota,
            Clock clock,
            SendingGate gate) {
        this.gate = gate;
        this.accounts = accounts;
        this.senders = senders;
        this.sets = sets;
        this.sources = sources;
        this.provisioner = provisioner;
        this.spool = spool;
        this.queue = queue;
        this.events = events;
        this.suppression = suppression;
        this.defaultMaxDelivery = defaultMaxDelivery;
        this.queueLimit = queueLimit;
        this.sandbox = sandbox;
        this.quota = quota;
        this.clock = clock;
    }

    public String accept(Submission submission) {
        Account account = accounts.get(submission.accountId());
        if (!account.canSend()) {
            throw new PoolMtaException(ErrorKind.SENDING_PAUSED, "Sending is paused for this account.");
        }
        if (submission.recipients().isEmpty()) {
            throw new PoolMtaException(ErrorKind.MESSAGE_REJECTED, "The message has no recipients.");
        }
        if (submission.recipients().size() > MAX_RECIPIENTS) {
            throw new PoolMtaException(
                    ErrorKind.MESSAGE_REJECTED,
                    "A message can have at most " + MAX_RECIPIENTS + " recipients; this one has "
                            + submission.recipients().size() + ".");
        }
        List<String> recipients = List.copyOf(new LinkedHashSet<>(submission.recipients()));
        boolean operatorMail = submission.operatorMail(); // its own rules: see MessageIntake.sendOperatorMail
        SenderRules.Decision sender =
                operatorMail ? senders.operatorMail() : senders.decide(account.id(), submission.senders());
        if (!operatorMail) {
            sandbox.check(account, recipients);
        }
        Optional<String> setName = submission.configurationSet().or(sender::configurationSet);
        Optional<ConfigurationSet> set = setName.map(name -> sets.get(account.id(), name));
        if (set.isPresent() && !set.get().sendingEnabled()) {
            throw new PoolMtaException(
                    ErrorKind.SENDING_PAUSED,
                    "Sending is paused for configuration set " + set.get().name() + ".");
        }
        DeliveryOptions delivery = set.map(ConfigurationSet::deliveryOptions).orElse(DeliveryOptions.DEFAULT);
        String pool = delivery.sendingPoolName().orElse(PoolNames.DEFAULT_POOL);
        gate.check(account.id(), submission.configurationSet(), pool);
        if (!sources.hasSources(account.id(), pool) && !provisioner.provisionFirstIp(account.id(), pool)) {
            throw PoolMtaException.notFound(noSourcesMessage(pool));
        }
        long queued = spool.pendingCount();
        if (queueLimit.full(queued)) {
            throw new PoolMtaException(
                    ErrorKind.TOO_MANY_REQUESTS,
                    "PoolMTA's queue is full (" + queued
                            + " messages waiting for delivery); nothing was accepted. Try again later.");
        }
        SendQuotaGate.Permit permit = operatorMail ? quota.uncounted(account) : quota.admit(account, recipients.size());
        Instant now = clock.instant();
        Duration maxDelivery =
                delivery.maxDeliverySeconds().map(Duration::ofSeconds).orElse(defaultMaxDelivery);
        TlsPolicy tls = delivery.tlsPolicy();
        Envelope envelope = new Envelope(
                submission.messageId(),
                account.id(),
                setName,
                pool,
                submission.mailFrom(),
                recipients,
                now,
                now.plus(maxDelivery),
                tls,
                submission.tags(),
                sourceIps.share(submission.sourceIp()),
                sender.returnPathDomain());
        byte[] content = submission.content();
        MailHeaders headers = submission.headers();
        if (sender.signer().isPresent()) {
            content = signed(sender.signer().get(), content);
            headers = MailHeaders.of(content); // as the events made later from the stored content see it
        }
        List<String> suppressed = suppression.suppressed(account.id(), set, envelope.recipients());
        Envelope deliverable = suppressed.isEmpty() ? envelope : withoutSuppressed(envelope, suppressed);
        StoredMessage stored = null;
        if (!deliverable.recipients().isEmpty()) {
            try {
                stored = store(deliverable, content);
            } catch (RuntimeException e) {
                permit.refused();
                throw e;
            }
        }
        permit.accepted();
        events.publish(new MailEvent(
                EventType.SEND,
                now,
                envelope,
                envelope.recipients(),
                Optional.empty(),
                pool,
                Optional.empty(),
                Optional.empty(),
                new MailEvent.Send(),
                Optional.empty(),
                headers));
        if (!suppressed.isEmpty()) {
            bounceSuppressed(envelope, suppressed, pool, now, headers);
        }
        if (stored != null) {
            queue.submit(stored);
        }
        return submission.messageId();
    }

    private StoredMessage store(Envelope envelope, byte[] content) {
        try {
            return spool.store(new SpooledMessage(envelope, content));
        } catch (SpoolException e) {
            throw new PoolMtaException(
                    ErrorKind.TOO_MANY_REQUESTS,
                    "PoolMTA could not store the message right now; nothing was accepted. Try again later.");
        }
    }

    // --- suppression: listed recipients are bounced at acceptance, never queued

    private static Envelope withoutSuppressed(Envelope envelope, List<String> suppressed) {
        List<String> rest = new ArrayList<>(envelope.recipients());
        rest.removeAll(suppressed);
        return envelope.withRecipients(rest);
    }

    private void bounceSuppressed(
            Envelope envelope, List<String> suppressed, String pool, Instant now, MailHeaders headers) {
        events.publish(new MailEvent(
                EventType.BOUNCE,
                now,
                envelope,
                suppressed,
                Optional.empty(),
                pool,
                Optional.empty(),
                Optional.of(SUPPRESSED_REPLY),
                new MailEvent.Bounce("Permanent", SuppressionList.SUB_TYPE),
                headers));
    }

    /** The message with its DKIM-Signature field in front. */
    static byte[] signed(DkimSigner signer, byte[] content) {
        byte[] field = signer.sign(content).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(field, field.length + content.length);
        System.arraycopy(content, 0, out, field.length, content.length);
        return out;
    }

    private static String noSourcesMessage(String pool) {
        return switch (pool) {
            case PoolNames.SHARED_POOL -> "ses-shared-pool has no IPs: the operator has not added shared IPs yet.";
            case PoolNames.DEFAULT_POOL ->
                "ses-default-dedicated-pool has no IPs: every dedicated IP of this account"
                        + " is in a named pool (or the account has no IPs and the operator has added no shared IPs).";
            default ->
                "Pool " + pool + " has no IPs; move IPs into it with PutDedicatedIpInPool before sending"
                        + " through it. Mail is never re-routed to another pool.";
        };
    }
}
