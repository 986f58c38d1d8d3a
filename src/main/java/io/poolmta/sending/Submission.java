package io.poolmta.sending;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A message offered for sending: the account, the configuration set it names (API field or
 * X-SES-CONFIGURATION-SET header, already removed from {@code content}), the envelope, the full
 * message bytes, and the message tags.
 */
public record Submission(
        String messageId,
        String accountId,
        Optional<String> configurationSet,
        String mailFrom,
        List<String> recipients,
        byte[] content,
        Map<String, List<String>> tags) {

    public Submission {
        recipients = List.copyOf(recipients);
        tags = Map.copyOf(tags);
    }
}
