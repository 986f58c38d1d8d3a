package io.poolmta.sending;

import io.poolmta.common.PoolMtaException;
import io.poolmta.spool.SpoolException;
import java.util.List;

/**
 * Takes a message whose envelope comes apart from its content, as SMTP submission gives it (MAIL
 * FROM, RCPT TO, then the message), from an authenticated account. Returns the message id once
 * the message is durably accepted. Throws {@link PoolMtaException} when it is refused, its kind
 * saying why (the SMTP server answers 554 for the refusals by rule and 451 for those a retry can
 * cure), and {@link SpoolException} when it could not be stored (try again later).
 */
@FunctionalInterface
public interface EnvelopeIntake {
    String accept(String accountId, String mailFrom, List<String> recipients, byte[] content);

    /** The same, with the IP address of the SMTP client (for the events' {@code mail.sourceIp}). */
    default String accept(String accountId, String mailFrom, List<String> recipients, byte[] content, String clientIp) {
        return accept(accountId, mailFrom, recipients, content);
    }
}
