package io.poolmta.feedback;

import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger keeps of a delivered message, so that a report arriving days later becomes an
 * event like the message's others: who sent it through which configuration set and pool, its
 * envelope sender, tags, submitting client and header summary, and per delivered recipient the IP
 * it left from ({@code recipientIps}, in delivery order).
 */
public record SentMessage(
        String messageId,
        String accountId,
        Optional<String> configurationSet,
        String poolName,
        String mailFrom,
        Instant acceptedAt,
        Map<String, List<String>> tags,
        String sourceIp,
        MailHeaders headers,
        Map<String, String> recipientIps,
        Instant recordedAt) {

    public SentMessage {
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(configurationSet);
        Objects.requireNonNull(poolName);
        Objects.requireNonNull(mailFrom);
        Objects.requireNonNull(acceptedAt);
        tags = Map.copyOf(tags);
        Objects.requireNonNull(sourceIp);
        Objects.requireNonNull(headers);
        recipientIps = Collections.unmodifiableMap(new LinkedHashMap<>(recipientIps));
        Objects.requireNonNull(recordedAt);
    }

    /** The delivered recipients. */
    public List<String> recipients() {
        return List.copyOf(recipientIps.keySet());
    }

    /** The recipient as the message spelled it, when {@code address} is one (case-insensitive). */
    public Optional<String> recipient(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String wanted = address.strip().toLowerCase(Locale.ROOT);
        return recipientIps.keySet().stream()
                .filter(r -> r.toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }

    /** This entry with the recipients of {@code later} (a delivery to another domain) added. */
    public SentMessage merge(SentMessage later) {
        Map<String, String> all = new LinkedHashMap<>(recipientIps);
        all.putAll(later.recipientIps);
        return new SentMessage(
                messageId,
                accountId,
                configurationSet,
                poolName,
                mailFrom,
                acceptedAt,
                tags,
                sourceIp,
                headers,
                all,
                later.recordedAt.isAfter(recordedAt) ? later.recordedAt : recordedAt);
    }

    /** The message's envelope as its events show it (recipients: the delivered ones). */
    public Envelope envelope() {
        return new Envelope(
                messageId,
                accountId,
                configurationSet,
                poolName,
                mailFrom,
                recipients(),
                acceptedAt,
                acceptedAt,
                TlsPolicy.OPTIONAL,
                tags,
                sourceIp);
    }
}
