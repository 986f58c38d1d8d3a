package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Feedback in, with its config-file keys: {@code feedback} (HOST:PORT of the inbound SMTP listener
 * for bounce reports and complaints; default none, off) and {@code feedbackRetentionDays} (how long
 * the sent-message ledger keeps what ties a late report to its message; default 14, 1 to 90).
 */
public record FeedbackOptions(Optional<HostPort> listener, int retentionDays) {
    public static final int DEFAULT_RETENTION_DAYS = 14;
    public static final int MAX_RETENTION_DAYS = 90;
    static final Set<String> KEYS = Set.of("feedback", "feedbackRetentionDays");

    public FeedbackOptions {
        if (retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException(
                    "feedbackRetentionDays must be between 1 and " + MAX_RETENTION_DAYS + ", got " + retentionDays);
        }
    }

    public static FeedbackOptions defaults() {
        return new FeedbackOptions(Optional.empty(), DEFAULT_RETENTION_DAYS);
    }

    public FeedbackOptions withListener(HostPort address) {
        return new FeedbackOptions(Optional.of(address), retentionDays);
    }

    public FeedbackOptions withRetentionDays(int days) {
        return new FeedbackOptions(listener, days);
    }

    /** Layers the keys present in a config file's root object over these. */
    FeedbackOptions from(JsonNode root, Path file) {
        FeedbackOptions options = this;
        JsonNode listen = root.get("feedback");
        if (listen != null) {
            if (!listen.isTextual() || listen.textValue().isBlank()) {
                throw new IllegalArgumentException(file + ": 'feedback' must be HOST:PORT");
            }
            options = options.withListener(HostPort.parse(listen.textValue()));
        }
        JsonNode days = root.get("feedbackRetentionDays");
        if (days != null) {
            if (!days.isIntegralNumber() || !days.canConvertToInt()) {
                throw new IllegalArgumentException(file + ": 'feedbackRetentionDays' must be a whole number of days");
            }
            options = options.withRetentionDays(days.intValue());
        }
        return options;
    }
}
