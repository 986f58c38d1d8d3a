package io.poolmta.sending;

import io.poolmta.message.MailHeaders;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message offered for sending: the account, the configuration set it names (API field or
 * X-SES-CONFIGURATION-SET header, already removed from {@code content}), the envelope, the full
 * message bytes, the message tags, the summary of the content's header section for the events, the
 * address of the client that submitted it (empty when not known), and the sender addresses that
 * must each belong to a verified identity of the account: the From address(es) first (the one
 * DKIM, the identity's default configuration set and the MAIL FROM domain follow), then the Sender
 * and the envelope's sender when they differ.
 */
public record Submission(
        String messageId,
        String accountId,
        Optional<String> configurationSet,
        String mailFrom,
        List<String> recipients,
        byte[] content,
        Map<String, List<String>> tags,
        MailHeaders headers,
        String sourceIp,
        List<String> senders,
        boolean operatorMail) {

    public Submission {
        recipients = List.copyOf(recipients);
        tags = Map.copyOf(tags);
        Objects.requireNonNull(headers);
        Objects.requireNonNull(sourceIp);
        senders = List.copyOf(senders);
    }

    /** An account's message (not the operator's own mail). */
    public Submission(
            String messageId,
            String accountId,
            Optional<String> configurationSet,
            String mailFrom,
            List<String> recipients,
            byte[] content,
            Map<String, List<String>> tags,
            MailHeaders headers,
            String sourceIp,
            List<String> senders) {
        this(
                messageId,
                accountId,
                configurationSet,
                mailFrom,
                recipients,
                content,
                tags,
                headers,
                sourceIp,
                senders,
                false);
    }

    /** A submission of content PoolMTA built itself, from a client whose address is not known. */
    public Submission(
            String messageId,
            String accountId,
            Optional<String> configurationSet,
            String mailFrom,
            List<String> recipients,
            byte[] content,
            Map<String, List<String>> tags) {
        this(
                messageId,
                accountId,
                configurationSet,
                mailFrom,
                recipients,
                content,
                tags,
                MailHeaders.of(content),
                "",
                List.of(mailFrom));
    }
}
