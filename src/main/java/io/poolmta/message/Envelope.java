package io.poolmta.message;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything PoolMTA needs to deliver an accepted message except its bytes: who sent it through
 * which configuration set, the pool it must leave from (resolved at acceptance, never changed), the
 * envelope sender and recipients, and when it expires. {@code recipients} are the ones still to be
 * delivered: after a restart, only those without a final outcome. {@code sourceIp} is the address
 * of the client that submitted the message (API caller or SMTP client), empty when not known (a
 * message spooled before PoolMTA kept it). {@code mailFrom} is the sender as the client gave it
 * (the events' {@code mail.source}); {@code returnPathDomain} is the domain of the envelope sender
 * on the wire, the message's {@link ReturnPath} ({@link #wireMailFrom}), empty for a message
 * spooled before PoolMTA gave return paths (then {@code mailFrom} goes on the wire).
 */
public record Envelope(
        String messageId,
        String accountId,
        Optional<String> configurationSet,
        String poolName,
        String mailFrom,
        List<String> recipients,
        Instant acceptedAt,
        Instant expiresAt,
        TlsPolicy tlsPolicy,
        Map<String, List<String>> tags,
        String sourceIp,
        String returnPathDomain) {

    public Envelope {
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(configurationSet);
        Objects.requireNonNull(poolName);
        Objects.requireNonNull(mailFrom);
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(acceptedAt);
        Objects.requireNonNull(expiresAt);
        Objects.requireNonNull(tlsPolicy);
        tags = Map.copyOf(tags);
        Objects.requireNonNull(sourceIp);
        Objects.requireNonNull(returnPathDomain);
    }

    /** An envelope without a return path: {@code mailFrom} goes on the wire. */
    public Envelope(
            String messageId,
            String accountId,
            Optional<String> configurationSet,
            String poolName,
            String mailFrom,
            List<String> recipients,
            Instant acceptedAt,
            Instant expiresAt,
            TlsPolicy tlsPolicy,
            Map<String, List<String>> tags,
            String sourceIp) {
        this(
                messageId,
                accountId,
                configurationSet,
                poolName,
                mailFrom,
                recipients,
                acceptedAt,
                expiresAt,
                tlsPolicy,
                tags,
                sourceIp,
                "");
    }

    /**
     * The envelope sender for MAIL FROM: the return path when there is one, else {@code mailFrom}. A
     * message with the null sender ({@code <>}: a bounce or a feedback notification) keeps it, so
     * that it never causes a bounce in return (RFC 5321 §4.5.5).
     */
    public String wireMailFrom() {
        return returnPathDomain.isEmpty() || mailFrom.isEmpty()
                ? mailFrom
                : new ReturnPath(messageId, returnPathDomain).address();
    }

    /** An envelope whose submitting client is not known. */
    public Envelope(
            String messageId,
            String accountId,
            Optional<String> configurationSet,
            String poolName,
            String mailFrom,
            List<String> recipients,
            Instant acceptedAt,
            Instant expiresAt,
            TlsPolicy tlsPolicy,
            Map<String, List<String>> tags) {
        this(
                messageId,
                accountId,
                configurationSet,
                poolName,
                mailFrom,
                recipients,
                acceptedAt,
                expiresAt,
                tlsPolicy,
                tags,
                "");
    }

    public Envelope withRecipients(List<String> remaining) {
        return new Envelope(
                messageId,
                accountId,
                configurationSet,
                poolName,
                mailFrom,
                remaining,
                acceptedAt,
                expiresAt,
                tlsPolicy,
                tags,
                sourceIp,
                returnPathDomain);
    }
}
