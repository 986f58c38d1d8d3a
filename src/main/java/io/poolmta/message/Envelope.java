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
 * delivered: after a restart, only those without a final outcome.
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
        Map<String, List<String>> tags) {

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
    }

    public Envelope withRecipients(List<String> remaining) {
        return new Envelope(messageId, accountId, configurationSet, poolName, mailFrom, remaining, acceptedAt, expiresAt,
                tlsPolicy, tags);
    }
}
