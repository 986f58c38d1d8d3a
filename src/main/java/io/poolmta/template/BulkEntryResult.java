package io.poolmta.template;

import java.util.Optional;

/**
 * The outcome of one BulkEmailEntry (SES {@code BulkEmailEntryResult}): a {@code Status} from
 * SES's BulkEmailStatus list, the error message when it is not SUCCESS, and the message id when it
 * is.
 */
public record BulkEntryResult(String status, Optional<String> error, Optional<String> messageId) {
    public static final String SUCCESS = "SUCCESS";
    public static final String INVALID_PARAMETER = "INVALID_PARAMETER";

    public static BulkEntryResult success(String messageId) {
        return new BulkEntryResult(SUCCESS, Optional.empty(), Optional.of(messageId));
    }

    public static BulkEntryResult failed(String status, String error) {
        return new BulkEntryResult(status, Optional.of(error), Optional.empty());
    }
}
