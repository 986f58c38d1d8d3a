package io.poolmta.submission;

import java.util.List;

/**
 * Takes a message submitted by an authenticated account. Returns the message id once the message
 * is durably accepted. Throws {@link io.poolmta.common.PoolMtaException} when it is refused (the
 * server answers 5xx, or 4xx for TOO_MANY_REQUESTS) or {@link io.poolmta.spool.SpoolException}
 * when it could not be stored (4xx: try again later).
 */
@FunctionalInterface
public interface SubmissionHandler {
    String accept(String accountId, String mailFrom, List<String> recipients, byte[] content);
}
