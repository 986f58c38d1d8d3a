package io.poolmta.delivery.smtp;

import java.io.IOException;

/** The server said something that is not SMTP, or not what the protocol allows at that point. */
final class SmtpProtocolException extends IOException {
    SmtpProtocolException(String message) {
        super(message);
    }
}
