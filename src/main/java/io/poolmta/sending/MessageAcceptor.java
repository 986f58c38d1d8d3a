package io.poolmta.sending;

import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
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
import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import io.poolmta.pool.PoolNames;
import io.poolmta.spool.Spool;
import io.poolmta.spool.SpoolException;
import io.poolmta.spool.SpooledMessage;
import io.poolmta.spool.StoredMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Accepts a submission or refuses it with the SES error that says why:
 * <ul>
 *   <li>the account or the configuration set has sending paused → SENDING_PAUSED;</li>
 *   <li>the configuration set does not exist → NOT_FOUND;</li>
 *   <li>the {@link SendingGate} (reputation enforcement) says no → its error;</li>
 *   <li>the pool the message would leave from has no IPs at all → NOT_FOUND naming the pool;
 *       mail is never re-routed to another pool (a MANAGED pool first gets an IP from the reserve
 *       through the {@link PoolProvisioner}; NOT_FOUND when the reserve is empty);</li>
 *   <li>no recipient, or more than 50 → MESSAGE_REJECTED;</li>
 *   <li>the queue is at its {@link QueueLimit}, or the spool cannot store it → TOO_MANY_REQUESTS
 *       (back-pressure: try again).</li>
 * </ul>
 * When {@link #accept} returns, the message is on stable storage and handed to the
 * {@link DeliveryQueue}, and a Send event is published.
 */
public final class MessageAcceptor {
    public static final int MAX_RECIPIENTS = 50;

    private final AccountService accounts;
    private final ConfigurationSetService sets;
    private final SourceSelector sources;
    private final PoolProvisioner provisioner;
    private final Spool spool;
    private final DeliveryQueue queue;
    private final EventPublisher events;
    private final Duration defaultMaxDelivery;
    private final QueueLimit queueLimit;
    private final Clock clock;
    private final SendingGate gate;
    /** Queued envelopes share one copy of each client address (a few clients send most mail). */
    private final SharedStrings sourceIps = new SharedStrings(4096);

    public MessageAcceptor(
            AccountService accounts,
            ConfigurationSetService sets,
            SourceSelector sources,
            PoolProvisioner provisioner,
            Spool spool,
            DeliveryQueue queue,
            EventPublisher events,
            Duration defaultMaxDelivery,
            QueueLimit queueLimit,
            Clock clock) {
        this(
                accounts,
                sets,
                sources,
                provisioner,
                spool,
                queue,
                events,
                defaultMaxDelivery,
                queueLimit,
                clock,
                SendingGate.OPEN);
    }

    public MessageAcceptor(
            AccountService accounts,
            ConfigurationSetService sets,
            SourceSelector sources,
            PoolProvisioner provisioner,
            Spool spool,
            DeliveryQueue queue,
            EventPublisher events,
            Duration defaultMaxDelivery,
            QueueLimit queueLimit,
            Clock clock,
            SendingGate gate) {
        this.gate = gate;
        this.accounts = accounts;
        this.sets = sets;
        this.sources = sources;
        this.provisioner = provisioner;
        this.spool = spool;
        this.queue = queue;
        this.events = events;
        this.defaultMaxDelivery = defaultMaxDelivery;
        this.queueLimit = queueLimit;
        this.clock = clock;
    }

    public String accept(Submission submission) {
        Account account = accounts.get(submission.accountId());
        if (!account.sendingEnabled()) {
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
        Optional<ConfigurationSet> set = submission.configurationSet().map(name -> sets.get(account.id(), name));
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
        Instant now = clock.instant();
        Duration maxDelivery =
                delivery.maxDeliverySeconds().map(Duration::ofSeconds).orElse(defaultMaxDelivery);
        TlsPolicy tls = delivery.tlsPolicy();
        Envelope envelope = new Envelope(
                submission.messageId(),
                account.id(),
                submission.configurationSet(),
                pool,
                submission.mailFrom(),
                List.copyOf(new LinkedHashSet<>(submission.recipients())),
                now,
                now.plus(maxDelivery),
                tls,
                submission.tags(),
                sourceIps.share(submission.sourceIp()));
        StoredMessage stored;
        try {
            stored = spool.store(new SpooledMessage(envelope, submission.content()));
        } catch (SpoolException e) {
            throw new PoolMtaException(
                    ErrorKind.TOO_MANY_REQUESTS,
                    "PoolMTA could not store the message right now; nothing was accepted. Try again later.");
        }
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
                submission.headers()));
        queue.submit(stored);
        return submission.messageId();
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
