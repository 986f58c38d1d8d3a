package io.poolmta.delivery.smtp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Where in the SMTP dialogue the client is, so that a failure without a reply becomes a 4xx reply
 * that says what happened and when: "421 4.4.2 connection lost during DATA".
 */
enum Phase {
    GREETING("greeting"),
    EHLO("EHLO"),
    STARTTLS("STARTTLS"),
    MAIL("MAIL FROM"),
    RCPT("RCPT TO"),
    DATA("DATA"),
    END_OF_DATA("end of DATA"),
    RSET("RSET");

    /** The code of every reply PoolMTA makes up for a failure: service not available, try later. */
    static final int MADE_UP_CODE = 421;

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The made-up reply for an exception met in this phase, {@code timeout} being the one in force. */
    SmtpReply failure(IOException e, Duration timeout) {
        String mayBeDelivered = this == END_OF_DATA ? " (the message may have been delivered)" : "";
        if (e instanceof SocketTimeoutException) {
            return new SmtpReply(
                    MADE_UP_CODE,
                    "4.4.2 timeout after " + SmtpClientSettings.brief(timeout) + " during " + label + mayBeDelivered);
        }
        if (e instanceof SmtpProtocolException) {
            return new SmtpReply(MADE_UP_CODE, "4.5.0 protocol error during " + label + ": " + e.getMessage());
        }
        if (e instanceof SSLException) {
            return new SmtpReply(MADE_UP_CODE, "4.7.5 TLS handshake failed: " + e.getMessage());
        }
        return new SmtpReply(MADE_UP_CODE, "4.4.2 connection lost during " + label + mayBeDelivered);
    }
}
