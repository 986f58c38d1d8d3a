package io.poolmta.feedback;

import io.poolmta.provider.BounceClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bounces that are no RFC 3464 report, as Gmail, Outlook/Exchange, Yahoo, Postfix and Exim
 * write them in plain text: the recipients are found by looking for the message's own recipients
 * in the text (a report can only name those), and each one's reply is read from the text after it
 * (the SMTP reply code, the enhanced status code and the line holding them). A text that says the
 * message is only delayed ("will retry", "has not yet been delivered") is no bounce. Bounded: the
 * text is at most {@link ReportParser#MAX_TEXT} characters and a recipient's window
 * {@value #WINDOW}.
 */
final class PlainTextBounces {
    static final int WINDOW = 800;
    private static final Pattern DELAY = Pattern.compile(
            "delay(ed)?\\b|will (be )?retr(y|ied)|still trying|has not (yet )?been delivered|not yet been delivered"
                    + "|warning: message",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FAILURE = Pattern.compile(
            "fail|undeliver|could not be delivered|couldn'?t be delivered|wasn'?t delivered|not delivered"
                    + "|permanent|rejected|returned|giving up|address not found|does not exist",
            Pattern.CASE_INSENSITIVE);
    /** A reply code as receivers write it in these texts: "550 ", "550-", "550:", "550 5.1.1", "'550". */
    private static final Pattern REPLY = Pattern.compile("(?<![\\d.])([45]\\d\\d)(?=[ :-]|$)(?![ -]?\\d{3})");

    private PlainTextBounces() {}

    /** The failed recipients the text names, with what it says of each; empty for a delay notice. */
    static List<FeedbackReport.ReportedRecipient> read(String subject, String text, List<String> recipients) {
        List<FeedbackReport.ReportedRecipient> out = new ArrayList<>();
        boolean failure =
                FAILURE.matcher(subject).find() || FAILURE.matcher(text).find();
        if (!failure && (DELAY.matcher(subject).find() || DELAY.matcher(text).find())) {
            return out;
        }
        if (DELAY.matcher(subject).find() && !FAILURE.matcher(subject).find()) {
            return out;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String rcpt : recipients) {
            int at = lower.indexOf(rcpt.toLowerCase(Locale.ROOT));
            if (at < 0) {
                continue;
            }
            String window = text.substring(at, Math.min(text.length(), at + WINDOW));
            Optional<String> reply = replyIn(window).or(() -> replyIn(text));
            Optional<String> status =
                    BounceClassifier.enhancedIn(reply.orElse(window)).or(() -> BounceClassifier.enhancedIn(window));
            out.add(new FeedbackReport.ReportedRecipient(
                    rcpt, Optional.empty(), "failed", status, reply.map(r -> "smtp; " + r), reply.orElse(window)));
        }
        return out;
    }

    /** The reply in a text: from its reply code to the end of that line (joined with the next when it is wrapped). */
    private static Optional<String> replyIn(String text) {
        Matcher m = REPLY.matcher(text);
        while (m.find()) {
            int start = m.start();
            int end = text.indexOf('\n', start);
            String line = (end < 0 ? text.substring(start) : text.substring(start, end)).strip();
            if (end > 0) {
                int next = text.indexOf('\n', end + 1);
                String following = (next < 0 ? text.substring(end + 1) : text.substring(end + 1, next));
                if (!following.isBlank() && Character.isWhitespace(following.charAt(0)) && line.length() < 200) {
                    line = line + " " + following.strip();
                }
            }
            line = line.replaceAll("['\"\\]]+$", "");
            if (line.length() > 4) {
                return Optional.of(line.length() > 500 ? line.substring(0, 500) : line);
            }
        }
        return Optional.empty();
    }
}
