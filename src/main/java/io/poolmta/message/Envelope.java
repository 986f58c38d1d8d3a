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
 * message spooled before PoolMTA kept it).
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
        String sourceIp) {

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
                sourceIp);
    }
}
