package io.poolmta.delivery.smtp;

import java.util.List;

/**
 * One complete (possibly multi-line) reply as read from the wire: the code of its last line and the
 * text of every line. The code is always 2xx–5xx (the reader rejects anything else).
 */
record ServerReply(int code, List<String> lines) {
    ServerReply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code < 400;
    }

    boolean completion() {
        return code < 300;
    }

    /** The reply as events keep it: lines joined by a space. */
    SmtpReply toSmtpReply() {
        return new SmtpReply(code, String.join(" ", lines).strip());
    }

    @Override
    public String toString() {
        return toSmtpReply().toString();
    }
}
