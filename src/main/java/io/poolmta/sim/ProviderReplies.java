package io.poolmta.sim;

import java.util.Objects;

/**
 * What a simulated provider says when it throttles or refuses, in the words real providers use, so
 * that PoolMTA's handling of throttling can be tested against realistic texts. Texts marked
 * "verbatim form" follow replies the provider is publicly known to send (addresses and tracking ids
 * replaced); the others are modelled on the provider's style.
 *
 * @param rateLimited to a RCPT beyond the source IP's hourly allowance
 * @param tooManyMessagesOnConnection to a MAIL beyond the messages allowed on one connection
 * @param tooManyConnections the greeting to a connection beyond the source IP's concurrent allowance
 * @param unknownUser to a RCPT whose local part starts with "unknown"
 */
public record ProviderReplies(
        SimReply rateLimited, SimReply tooManyMessagesOnConnection, SimReply tooManyConnections, SimReply unknownUser) {
    public ProviderReplies {
        Objects.requireNonNull(rateLimited, "rateLimited");
        Objects.requireNonNull(tooManyMessagesOnConnection, "tooManyMessagesOnConnection");
        Objects.requireNonNull(tooManyConnections, "tooManyConnections");
        Objects.requireNonNull(unknownUser, "unknownUser");
        requireFailure(rateLimited, 4, "rateLimited");
        requireFailure(tooManyMessagesOnConnection, 4, "tooManyMessagesOnConnection");
        requireFailure(tooManyConnections, 4, "tooManyConnections");
        requireFailure(unknownUser, 5, "unknownUser");
    }

    /**
     * Gmail. Rate limit: the multi-line 421 4.7.28 (verbatim form; Gmail closes the connection, and
     * the words are split over lines, so "unusual rate of … unsolicited mail" is not contiguous once
     * the lines are joined). Per connection and concurrency: 421 4.7.0 "Try again later, closing
     * connection." (verbatim form). Unknown user: the multi-line 550 5.1.1 NoSuchUser (verbatim form).
     */
    public static ProviderReplies gmail() {
        return new ProviderReplies(
                new SimReply(421, """
                        4.7.28 [{ip}] Our system has detected an unusual rate of
                        4.7.28 unsolicited mail originating from your IP address. To protect our
                        4.7.28 users from spam, mail sent from your IP address has been temporarily
                        4.7.28 rate limited. For more information, go to
                        4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to
                        4.7.28 review our Bulk Email Senders Guidelines. - gsmtp"""),
                new SimReply(421, "4.7.0 Try again later, closing connection. (MAIL) - gsmtp"),
                new SimReply(421, "4.7.0 Try again later, closing connection. - gsmtp"),
                new SimReply(550, """
                        5.1.1 The email account that you tried to reach does not exist. Please try
                        5.1.1 double-checking the recipient's email address for typos or
                        5.1.1 unnecessary spaces. For more information, go to
                        5.1.1  https://support.google.com/mail/?p=NoSuchUser - gsmtp"""));
    }

    /**
     * Outlook.com / Exchange Online. Rate limit: 451 4.7.650 (verbatim form; the connection stays
     * open). Concurrency: Exchange's 421 4.3.2 (verbatim form). Per connection: modelled on it.
     * Unknown user: modelled on Outlook.com's "mailbox unavailable", with 5.1.1.
     */
    public static ProviderReplies outlook() {
        return new ProviderReplies(
                new SimReply(
                        451,
                        "4.7.650 The mail server [{ip}] has been temporarily rate limited due to IP reputation."
                                + " For e-mail delivery information, see https://postmaster.live.com (S775)"
                                + " [Name=Protocol Filter Agent][AGT=PFA]"),
                new SimReply(
                        421,
                        "4.3.2 The maximum number of messages per connection has been exceeded,"
                                + " closing transmission channel"),
                new SimReply(
                        421,
                        "4.3.2 The maximum number of concurrent server connections has exceeded a limit,"
                                + " closing transmission channel"),
                new SimReply(550, "5.1.1 Requested action not taken: mailbox unavailable (S2017062302)"));
    }

    /**
     * Yahoo. Rate limit, per connection and concurrency: 421 4.7.0 [TSS04] (verbatim form; Yahoo
     * answers every volume problem with it). Unknown user: modelled on Yahoo's "dd This user doesn't
     * have a yahoo.com account", with 550 5.1.1.
     */
    public static ProviderReplies yahoo() {
        SimReply tss04 = new SimReply(
                421,
                "4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume"
                        + " or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes");
        return new ProviderReplies(
                tss04,
                tss04,
                tss04,
                new SimReply(550, "5.1.1 delivery error: dd This user doesn't have a yahoo.com account ({rcpt}) [0]"));
    }

    /** A plain Postfix-style receiver (anvil, virtual mailbox table; verbatim forms). */
    public static ProviderReplies generic() {
        return new ProviderReplies(
                new SimReply(450, "4.7.0 <{rcpt}>: Recipient address rejected: rate limited for {ip}, try again later"),
                new SimReply(421, "4.7.0 Error: too many messages on one connection from {ip}"),
                new SimReply(421, "4.7.0 Error: too many connections from {ip}"),
                new SimReply(550, "5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"));
    }

    private static void requireFailure(SimReply reply, int klass, String name) {
        if (reply.code() / 100 != klass) {
            throw new IllegalArgumentException(name + " must be a " + klass + "xx reply, was " + reply.code());
        }
    }
}
