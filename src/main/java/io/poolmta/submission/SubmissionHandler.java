package io.poolmta.submission;

import java.util.List;

/**
 * Takes a message submitted by an authenticated account. Returns the message id once the message
 * is durably accepted. Throws {@link io.poolmta.common.PoolMtaException} when it is refused: the
 * server answers 554 for SENDING_PAUSED, NOT_FOUND, BAD_REQUEST and MESSAGE_REJECTED, and 451 for
 * the kinds a retry can cure (TOO_MANY_REQUESTS, LIMIT_EXCEEDED, CONFLICT, ALREADY_EXISTS);
 * {@link io.poolmta.spool.SpoolException} when it could not be stored (451: try again later).
 */
@FunctionalInterface
public interface SubmissionHandler {
    String accept(String accountId, String mailFrom, List<String> recipients, byte[] content);

    /** The same, with the IP address of the SMTP client (for the events' {@code mail.sourceIp}). */
    default String accept(String accountId, String mailFrom, List<String> recipients, byte[] content, String clientIp) {
        return accept(accountId, mailFrom, recipients, content);
    }
}
