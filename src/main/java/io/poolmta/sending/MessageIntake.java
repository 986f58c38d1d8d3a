package io.poolmta.sending;

import io.poolmta.common.PoolMtaException;
import io.poolmta.message.Content;
import io.poolmta.message.EmailAddresses;
import io.poolmta.message.HeaderAddresses;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.Mailbox;
import io.poolmta.message.MessageIds;
import io.poolmta.message.MessageTag;
import io.poolmta.message.MimeBuilder;
import io.poolmta.message.RawMessage;
import io.poolmta.message.SimpleMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what a client sent into a {@link Submission} and hands it to the {@link MessageAcceptor}:
 * Simple content is rendered to MIME; Raw content (API or SMTP) loses its X-SES-CONFIGURATION-SET
 * and X-SES-MESSAGE-TAGS headers, which select the set and add tags. An explicit configuration set
 * (API field) wins over the header. Envelope addresses are validated here. The senders that must
 * be verified are FromEmailAddress for Simple content, and for Raw content (API or SMTP) the From
 * and Sender header addresses with FromEmailAddress or MAIL FROM. {@code sourceIp} is the
 * address of the submitting client (API caller or SMTP client), kept for the events.
 */
public final class MessageIntake implements EnvelopeIntake {
    private final MessageAcceptor acceptor;
    private final MessageIds ids;
    private final MimeBuilder mime;
    private final Clock clock;

    public MessageIntake(MessageAcceptor acceptor, MessageIds ids, MimeBuilder mime, Clock clock) {
        this.acceptor = acceptor;
        this.ids = ids;
        this.mime = mime;
        this.clock = clock;
    }

    /** SendEmail with Simple content; recipients are To, Cc and Bcc of the request. */
    public String sendSimple(
            String accountId,
            Optional<String> configurationSet,
            SimpleMessage message,
            List<String> recipients,
            List<MessageTag> tags,
            String sourceIp) {
        String id = ids.next();
        byte[] content = mime.build(message, id);
        return acceptor.accept(new Submission(
                id,
                accountId,
                configurationSet,
                message.from().address(),
                validRecipients(recipients, "Destination"),
                content,
                tagMap(tags, List.of()),
                MailHeaders.of(content),
                sourceIp,
                List.of(message.from().address())));
    }

    /**
     * The operator's own mail, sent on an account's behalf: today the link that verifies an
     * email-address identity, from the operator's address ({@code verificationFrom}) to that
     * address. It leaves through the account's default pool like the account's mail, but it is not
     * the account's mail: the rules on what an account sends (its From must be a verified
     * identity, the sandbox's recipients, its sending quota) do not apply to it and must stay out
     * of this path. Account and pool checks (paused account, no IPs, full queue) still refuse it.
     */
    public String sendOperatorMail(String accountId, String from, String to, String subject, String text) {
        SimpleMessage message = new SimpleMessage(
                Mailbox.of(from),
                List.of(Mailbox.of(to)),
                List.of(),
                List.of(),
                Content.utf8(subject),
                Optional.of(Content.utf8(text)),
                Optional.empty(),
                List.of(),
                List.of());
        String id = ids.next();
        byte[] content = mime.build(message, id);
        return acceptor.accept(new Submission(
                id,
                accountId,
                Optional.empty(),
                message.from().address(),
                validRecipients(List.of(to), "Destination"),
                content,
                Map.of(),
                MailHeaders.of(content),
                "",
                List.of(),
                true));
    }

    /**
     * SendEmail with Raw content. {@code from} and {@code recipients} come from the request when it
     * has them, else from the message's From, To, Cc and Bcc headers.
     */
    public String sendRaw(
            String accountId,
            Optional<String> configurationSet,
            byte[] data,
            Optional<String> from,
            List<String> recipients,
            List<MessageTag> tags,
            String sourceIp) {
        String id = ids.next();
        RawMessage raw = RawMessage.parse(data, mime.messageIdHeader(id), clock.instant());
        String mailFrom = from.map(f -> EmailAddresses.envelopeAddress(f, "FromEmailAddress"))
                .orElseGet(() -> raw.addresses().from().stream()
                        .findFirst()
                        .map(f -> EmailAddresses.envelopeAddress(f, "From header"))
                        .orElseThrow(() -> PoolMtaException.badRequest(
                                "The raw message has no From header and the request no FromEmailAddress.")));
        List<String> rcpts = recipients.isEmpty() ? raw.addresses().recipients() : recipients;
        return acceptor.accept(new Submission(
                id,
                accountId,
                configurationSet.or(raw::configurationSet),
                mailFrom,
                validRecipients(rcpts, recipients.isEmpty() ? "message headers" : "Destination"),
                raw.bytes(),
                tagMap(tags, raw.tags()),
                raw.headers(),
                sourceIp,
                senders(raw.addresses(), mailFrom)));
    }

    /** SMTP submission: the SMTP envelope is the envelope; the headers only select set and tags. */
    @Override
    public String accept(String accountId, String mailFrom, List<String> recipients, byte[] content) {
        return accept(accountId, mailFrom, recipients, content, "");
    }

    @Override
    public String accept(String accountId, String mailFrom, List<String> recipients, byte[] content, String clientIp) {
        String id = ids.next();
        RawMessage raw = RawMessage.parse(content, mime.messageIdHeader(id), clock.instant());
        String from = mailFrom.isEmpty() ? "" : EmailAddresses.envelopeAddress(mailFrom, "MAIL FROM");
        return acceptor.accept(new Submission(
                id,
                accountId,
                raw.configurationSet(),
                from,
                validRecipients(recipients, "RCPT TO"),
                raw.bytes(),
                tagMap(List.of(), raw.tags()),
                raw.headers(),
                clientIp,
                senders(raw.addresses(), from)));
    }

    /** From, then Sender, then the envelope's sender (when not empty), each once. */
    private static List<String> senders(HeaderAddresses headers, String envelopeSender) {
        LinkedHashSet<String> out = new LinkedHashSet<>(headers.from());
        out.addAll(headers.sender());
        if (!envelopeSender.isEmpty()) {
            out.add(envelopeSender);
        }
        return List.copyOf(out);
    }

    private static List<String> validRecipients(List<String> recipients, String field) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < recipients.size(); i++) {
            out.add(EmailAddresses.envelopeAddress(recipients.get(i), field + "[" + i + "]"));
        }
        return new ArrayList<>(out);
    }

    private static Map<String, List<String>> tagMap(List<MessageTag> apiTags, List<MessageTag> headerTags) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        for (MessageTag tag : headerTags) {
            tags.computeIfAbsent(tag.name(), k -> new ArrayList<>()).add(tag.value());
        }
        for (MessageTag tag : apiTags) {
            tags.put(tag.name(), new ArrayList<>(List.of(tag.value())));
        }
        if (tags.size() > 50) {
            throw PoolMtaException.badRequest("A message can have at most 50 tags.");
        }
        return tags;
    }
}
