package io.poolmta.testing;

/**
 * What a {@link ScriptedSmtpServer} told a client about one recipient of one mail transaction, or
 * that it hung up on it: the server's side of the recipient's fate in that attempt.
 * <p>
 * A RCPT reply other than 2xx concerns its recipient; a reply to DATA or to the final "." concerns
 * every recipient the transaction had accepted; a refused MAIL FROM concerns the recipients a
 * pipelining client named right after it (the client applies the refusal to them); a hang-up by the
 * script concerns every recipient of the transaction without a verdict yet. A client that leaves by
 * itself gets no verdict.
 *
 * @param sequence the verdict's number, from 1, across all connections of the server, in the order
 *     given
 * @param sessionId the connection, as in {@link SmtpSessionRecord#id()}
 * @param recipient the address, as the client gave it in RCPT TO
 * @param stage where the verdict was given
 * @param code the reply code, 0 when the server hung up without a reply
 */
public record RecipientVerdict(long sequence, int sessionId, String recipient, SmtpStage stage, Kind kind, int code) {
    public enum Kind {
        /** 2xx to the final ".": the message was recorded and the client knows it. */
        ACCEPTED,
        /** A 4xx reply. */
        DEFERRED,
        /** A 5xx reply. */
        REFUSED,
        /** The connection was closed without a reply; nothing was recorded. */
        DROPPED,
        /** The message was recorded, then the connection closed before the reply to the final ".". */
        REPLY_LOST
    }

    /** Whether the client was told something it must not retry: 2xx or 5xx. */
    public boolean settles() {
        return kind == Kind.ACCEPTED || kind == Kind.REFUSED;
    }

    /** Whether the server kept a copy of the message for this recipient. */
    public boolean received() {
        return kind == Kind.ACCEPTED || kind == Kind.REPLY_LOST;
    }

    static Kind ofCode(int code) {
        return code < 300 ? Kind.ACCEPTED : code < 500 ? Kind.DEFERRED : Kind.REFUSED;
    }
}
