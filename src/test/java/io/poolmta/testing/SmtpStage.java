package io.poolmta.testing;

/**
 * The points of an SMTP session where a {@link ScriptedSmtpServer} consults its script. The
 * argument a {@link SmtpRule} can match is given for each.
 */
public enum SmtpStage {
    /** The connection was accepted; the server is about to greet. No argument. */
    GREETING,
    /** EHLO; the argument is the client's name. */
    EHLO,
    /** HELO; the argument is the client's name. */
    HELO,
    /** STARTTLS; a 220 reply (the default) starts the handshake. No argument. */
    STARTTLS,
    /** MAIL FROM; the argument is the sender address without angle brackets. */
    MAIL,
    /** RCPT TO; the argument is the recipient address without angle brackets. */
    RCPT,
    /** The DATA command; a 354 reply (the default) makes the server read the content. No argument. */
    DATA,
    /** The final "." of the content; a 2xx reply (the default) records the message. No argument. */
    DATA_END,
    /** RSET. No argument. */
    RSET,
    /** QUIT. No argument. */
    QUIT
}
