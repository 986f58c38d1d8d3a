package io.poolmta.delivery.smtp;

import java.util.Objects;

/**
 * A reply from a receiving server, or one PoolMTA makes up for a failure without a reply
 * (connection refused, timeout: 4xx). {@code text} keeps the server's words for events.
 */
public record SmtpReply(int code, String text) {
    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code out of range: " + code);
        }
        Objects.requireNonNull(text);
    }

    public boolean positive() {
        return code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** As SES reports it in events: "250 2.0.0 Ok: queued as 123". */
    @Override
    public String toString() {
        return code + " " + text;
    }
}
