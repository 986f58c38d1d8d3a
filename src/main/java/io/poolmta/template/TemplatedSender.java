package io.poolmta.template;

import io.poolmta.account.AccountService;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.events.EventPublisher;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.message.Content;
import io.poolmta.message.EmailAddresses;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.Mailbox;
import io.poolmta.message.MessageIds;
import io.poolmta.message.MessageTag;
import io.poolmta.message.SimpleMessage;
import io.poolmta.pool.PoolNames;
import io.poolmta.sending.MessageAcceptor;
import io.poolmta.sending.MessageIntake;
import io.poolmta.sending.SenderRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends templated mail: renders the template with the message's data and hands the result to the
 * {@link MessageIntake} as Simple content, so every rule of Simple content holds (configuration set
 * and pool, acceptance on stable storage before the answer, a Send event per message with its
 * tags). When rendering fails (a variable without a value), the message is accepted all the same,
 * as SES does: it gets a message id, is not stored or sent, and a Rendering Failure event (with
 * the message's configuration set, pool and tags) is published instead. Requests that are wrong
 * whatever the data (addresses, headers, recipients) are refused before rendering.
 */
public final class TemplatedSender {
    private static final Logger LOG = LoggerFactory.getLogger(TemplatedSender.class);

    private final TemplateService templates;
    private final SenderRules senders;
    private final MessageIntake intake;
    private final AccountService accounts;
    private final ConfigurationSetService sets;
    private final EventPublisher events;
    private final MessageIds ids;
    private final Clock clock;

    public TemplatedSender(
            TemplateService templates,
            SenderRules senders,
            MessageIntake intake,
            AccountService accounts,
            ConfigurationSetService sets,
            EventPublisher events,
            Clock clock) {
        this.templates = templates;
        this.senders = senders;
        this.intake = intake;
        this.accounts = accounts;
        this.sets = sets;
        this.events = events;
        this.ids = new MessageIds(clock);
        this.clock = clock;
    }

    /** The compiled template a send names; NOT_FOUND for a name this account has no template of. */
    public CompiledTemplate resolve(String accountId, TemplateRef ref) {
        return switch (ref) {
            case TemplateRef.Inline inline -> templates.compileInline(inline.content());
            case TemplateRef.Stored stored -> {
                if (stored.arnAccountId().isPresent()
                        && !stored.arnAccountId().get().equals(accountId)) {
                    throw PoolMtaException.notFound("Template " + stored.name() + " does not exist.");
                }
                yield templates.compiled(accountId, stored.name());
            }
        };
    }

    /**
     * The refusals that hold for a whole call whatever its entries: sending paused for the account
     * or the configuration set (SENDING_PAUSED), a configuration set that does not exist (NOT_FOUND).
     * Returns the set's delivery options.
     */
    public DeliveryOptions checkCanSend(String accountId, Optional<String> configurationSet) {
        if (!accounts.get(accountId).canSend()) {
            throw new PoolMtaException(ErrorKind.SENDING_PAUSED, "Sending is paused for this account.");
        }
        Optional<ConfigurationSet> set = configurationSet.map(name -> sets.get(accountId, name));
        if (set.isPresent() && !set.get().sendingEnabled()) {
            throw new PoolMtaException(
                    ErrorKind.SENDING_PAUSED,
                    "Sending is paused for configuration set " + set.get().name() + ".");
        }
        return set.map(ConfigurationSet::deliveryOptions).orElse(DeliveryOptions.DEFAULT);
    }

    /**
     * SendBulkEmail's check of its one FromEmailAddress, for the whole call: SENDER_NOT_VERIFIED
     * when no verified identity of the account covers it. A malformed address is left to the
     * entries, each of which refuses it as INVALID_PARAMETER.
     */
    public void checkSender(String accountId, String from) {
        if (EmailAddresses.isValid(from)) {
            senders.requireVerified(
                    accountId, List.of(EmailAddresses.parse(from).address()));
        }
    }

    /** Renders and sends one message; returns its message id (also when rendering failed). */
    public String send(String accountId, TemplatedMessage message, String sourceIp) {
        Mailbox from = EmailAddresses.parse(message.from(), "FromEmailAddress");
        List<Mailbox> to = mailboxes(message.to(), "Destination.ToAddresses");
        List<Mailbox> cc = mailboxes(message.cc(), "Destination.CcAddresses");
        List<Mailbox> replyTo = mailboxes(message.replyTo(), "ReplyToAddresses");
        List<String> recipients = recipients(message);
        // the header rules of Simple content, checked before rendering so a failure is never accepted wrongly
        new SimpleMessage(
                from,
                to,
                cc,
                replyTo,
                Content.utf8(""),
                Optional.of(Content.utf8("")),
                Optional.empty(),
                message.headers(),
                message.attachments());
        RenderedEmail rendered;
        try {
            rendered = templates.render(message.template(), message.data());
        } catch (RenderingFailure failure) {
            return renderingFailed(accountId, message, from.address(), recipients, failure, sourceIp);
        }
        SimpleMessage simple = new SimpleMessage(
                from,
                to,
                cc,
                replyTo,
                Content.utf8(rendered.subject()),
                rendered.text().map(Content::utf8),
                rendered.html().map(Content::utf8),
                message.headers(),
                message.attachments());
        return intake.sendSimple(accountId, message.configurationSet(), simple, recipients, message.tags(), sourceIp);
    }

    /**
     * One entry of a bulk send: builds the message ({@code entry} may throw for bad input) and sends
     * it; a refusal becomes the entry's status instead of failing the call.
     */
    public BulkEntryResult sendEntry(String accountId, Supplier<TemplatedMessage> entry, String sourceIp) {
        try {
            return BulkEntryResult.success(send(accountId, entry.get(), sourceIp));
        } catch (PoolMtaException e) {
            return BulkEntryResult.failed(status(e), e.getMessage());
        }
    }

    private static String status(PoolMtaException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> BulkEntryResult.INVALID_PARAMETER;
            case MESSAGE_REJECTED, SENDER_NOT_VERIFIED -> "MESSAGE_REJECTED";
            case MAIL_FROM_DOMAIN_NOT_VERIFIED -> "MAIL_FROM_DOMAIN_NOT_VERIFIED";
            case SENDING_PAUSED ->
                e.getMessage().contains("configuration set")
                        ? "CONFIGURATION_SET_SENDING_PAUSED"
                        : "ACCOUNT_SENDING_PAUSED";
            case NOT_FOUND -> "INVALID_SENDING_POOL_NAME";
            case TOO_MANY_REQUESTS -> "TRANSIENT_FAILURE";
            case THROTTLED -> "ACCOUNT_THROTTLED";
            case LIMIT_EXCEEDED -> "ACCOUNT_DAILY_QUOTA_EXCEEDED";
            default -> "FAILED";
        };
    }

    private String renderingFailed(
            String accountId,
            TemplatedMessage message,
            String mailFrom,
            List<String> recipients,
            RenderingFailure failure,
            String sourceIp) {
        // the rules of the sender hold for a message that is not sent too, and give its default set
        SenderRules.Decision decision = senders.decide(accountId, List.of(mailFrom));
        Optional<String> set = message.configurationSet().or(decision::configurationSet);
        DeliveryOptions delivery = checkCanSend(accountId, set);
        String pool = delivery.sendingPoolName().orElse(PoolNames.DEFAULT_POOL);
        String id = ids.next();
        Instant now = clock.instant();
        Envelope envelope = new Envelope(
                id,
                accountId,
                set,
                pool,
                mailFrom,
                recipients,
                now,
                now,
                delivery.tlsPolicy(),
                tagMap(message.tags()),
                sourceIp);
        // no message was made: the event's headers are those the request named (From, To, Cc)
        String header = "From: " + message.from() + "\r\n"
                + (message.to().isEmpty() ? "" : "To: " + String.join(", ", message.to()) + "\r\n")
                + (message.cc().isEmpty() ? "" : "Cc: " + String.join(", ", message.cc()) + "\r\n") + "\r\n";
        events.publish(new MailEvent(
                EventType.RENDERING_FAILURE,
                now,
                envelope,
                recipients,
                Optional.empty(),
                pool,
                Optional.empty(),
                Optional.empty(),
                new MailEvent.RenderingFailure(failure.getMessage(), failure.templateName()),
                MailHeaders.of(header.getBytes(StandardCharsets.UTF_8))));
        LOG.info(
                "message {} of account {} not sent: template {}: {}",
                id,
                accountId,
                failure.templateName(),
                failure.getMessage());
        return id;
    }

    private static List<String> recipients(TemplatedMessage message) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        addAll(out, message.to(), "Destination.ToAddresses");
        addAll(out, message.cc(), "Destination.CcAddresses");
        addAll(out, message.bcc(), "Destination.BccAddresses");
        if (out.isEmpty()) {
            throw PoolMtaException.badRequest("Destination must name at least one recipient.");
        }
        if (out.size() > MessageAcceptor.MAX_RECIPIENTS) {
            throw new PoolMtaException(
                    ErrorKind.MESSAGE_REJECTED,
                    "A message can have at most " + MessageAcceptor.MAX_RECIPIENTS + " recipients; this one has "
                            + out.size() + ".");
        }
        return new ArrayList<>(out);
    }

    private static void addAll(LinkedHashSet<String> out, List<String> addresses, String field) {
        for (int i = 0; i < addresses.size(); i++) {
            out.add(EmailAddresses.envelopeAddress(addresses.get(i), field + "[" + i + "]"));
        }
    }

    private static List<Mailbox> mailboxes(List<String> addresses, String field) {
        List<Mailbox> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            out.add(EmailAddresses.parse(addresses.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Map<String, List<String>> tagMap(List<MessageTag> tags) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (MessageTag tag : tags) {
            out.put(tag.name(), List.of(tag.value()));
        }
        return out;
    }
}
