package io.poolmta.sim;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a simulated provider reports back after it accepted mail, as real providers do: for each
 * accepted recipient, with probability {@code bounceRate} a delivery status notification (RFC 3464)
 * saying {@code bounceReply}, else with probability {@code complaintRate} an ARF complaint
 * (RFC 5965), sent by SMTP to {@code host:port} (the sender's feedback listener) addressed to the
 * message's return path ({@code returnPath}, by default its envelope sender; empty: no report).
 * The draws come from one random generator seeded with {@code seed}, in the order messages are
 * accepted, so a run that accepts the same messages in the same order reports the same ones.
 */
public record FeedbackLoop(
        String host,
        int port,
        double bounceRate,
        double complaintRate,
        long seed,
        String bounceReply,
        Function<ReceivedMail, Optional<String>> returnPath) {
    public static final String DEFAULT_BOUNCE_REPLY =
            "550 5.1.1 The email account that you tried to reach does not exist";

    public FeedbackLoop {
        Objects.requireNonNull(host);
        Objects.requireNonNull(bounceReply);
        Objects.requireNonNull(returnPath);
        if (bounceRate < 0 || complaintRate < 0 || bounceRate + complaintRate > 1) {
            throw new IllegalArgumentException("bounceRate and complaintRate must be 0 or more, 1 at most together");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    /** Reports to {@code host:port} at these rates, to each message's envelope sender. */
    public static FeedbackLoop to(String host, int port, double bounceRate, double complaintRate, long seed) {
        return new FeedbackLoop(
                host,
                port,
                bounceRate,
                complaintRate,
                seed,
                DEFAULT_BOUNCE_REPLY,
                mail -> mail.mailFrom().isEmpty() ? Optional.empty() : Optional.of(mail.mailFrom()));
    }

    public FeedbackLoop withBounceReply(String reply) {
        return new FeedbackLoop(host, port, bounceRate, complaintRate, seed, reply, returnPath);
    }

    /** Where the reports about a message go, instead of its envelope sender. */
    public FeedbackLoop withReturnPath(Function<ReceivedMail, Optional<String>> where) {
        return new FeedbackLoop(host, port, bounceRate, complaintRate, seed, bounceReply, where);
    }
}
