package io.poolmta.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a simulated provider reports back after it accepted mail, as real providers do: for each
 * accepted recipient, with probability {@code bounceRate} a delivery status notification (RFC 3464)
 * saying {@code bounceReply}, else with probability {@code complaintRate} an ARF complaint
 * (RFC 5965), sent by SMTP to {@code host:port} (the sender's feedback listener) addressed to the
 * message's return path ({@code returnPath}, by default its envelope sender; empty: no report),
 * {@code delay} after the message was accepted (real time: the sender has had its 250 by then).
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
        Function<ReceivedMail, Optional<String>> returnPath,
        Duration delay) {
    /** Reports go this long (real time) after the message was accepted, as a real report comes after the 250. */
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(500);

    public static final String DEFAULT_BOUNCE_REPLY =
            "550 5.1.1 The email account that you tried to reach does not exist";

    public FeedbackLoop {
        Objects.requireNonNull(host);
        Objects.requireNonNull(bounceReply);
        Objects.requireNonNull(returnPath);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
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
                mail -> mail.mailFrom().isEmpty() ? Optional.empty() : Optional.of(mail.mailFrom()),
                DEFAULT_DELAY);
    }

    public FeedbackLoop withBounceReply(String reply) {
        return new FeedbackLoop(host, port, bounceRate, complaintRate, seed, reply, returnPath, delay);
    }

    /** Where the reports about a message go, instead of its envelope sender. */
    public FeedbackLoop withReturnPath(Function<ReceivedMail, Optional<String>> where) {
        return new FeedbackLoop(host, port, bounceRate, complaintRate, seed, bounceReply, where, delay);
    }

    /** How long after acceptance (real time) a report is sent. */
    public FeedbackLoop withDelay(Duration after) {
        return new FeedbackLoop(host, port, bounceRate, complaintRate, seed, bounceReply, returnPath, after);
    }
}
