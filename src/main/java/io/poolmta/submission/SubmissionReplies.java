package io.poolmta.submission;

import io.poolmta.common.PoolMtaException;
import io.poolmta.sending.EnvelopeIntake;
import io.poolmta.spool.SpoolException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.RejectException;

/**
 * The SMTP reply for a message the {@link EnvelopeIntake} did not accept. Refusals by rule are
 * permanent (5xx) and carry the refusal's text, which is written for users; throttling and storage
 * trouble are temporary (4xx) so the client retries. Internal errors become 451 4.3.0 with a fixed
 * text: their details are logged, never sent.
 *
 * <pre>
 * PoolMtaException SENDING_PAUSED, SENDER_NOT_VERIFIED,
 *                  MAIL_FROM_DOMAIN_NOT_VERIFIED         554 5.7.1 &lt;message&gt;
 * PoolMtaException NOT_FOUND, BAD_REQUEST, MESSAGE_REJECTED  554 5.6.0 &lt;message&gt;
 * PoolMtaException TOO_MANY_REQUESTS                    451 4.7.0 &lt;message&gt;
 * PoolMtaException THROTTLED, LIMIT_EXCEEDED (quota)    454 4.7.0 Throttling failure: &lt;message&gt;
 * PoolMtaException of any other kind                    451 4.3.0 &lt;message&gt;
 * SpoolException                                        451 4.3.0 could not store message, try again
 * anything else                                         451 4.3.0 internal error, try again later
 * </pre>
 */
final class SubmissionReplies {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionReplies.class);
    private static final int MAX_TEXT = 400;
    private static final Pattern CONTROLS = Pattern.compile("\\p{Cntrl}+");

    private SubmissionReplies() {}

    static RejectException refusal(Exception failure) {
        return switch (failure) {
            case PoolMtaException e -> {
                LOG.debug("message refused: {} {}", e.kind(), e.getMessage());
                yield switch (e.kind()) {
                    case SENDING_PAUSED, SENDER_NOT_VERIFIED, MAIL_FROM_DOMAIN_NOT_VERIFIED ->
                        reject(554, "5.7.1", e.getMessage());
                    case NOT_FOUND, BAD_REQUEST, MESSAGE_REJECTED -> reject(554, "5.6.0", e.getMessage());
                    case TOO_MANY_REQUESTS -> reject(451, "4.7.0", e.getMessage());
                    case THROTTLED, LIMIT_EXCEEDED -> reject(454, "4.7.0", "Throttling failure: " + e.getMessage());
                    default -> reject(451, "4.3.0", e.getMessage());
                };
            }
            case SpoolException e -> {
                LOG.warn("could not store a submitted message", e);
                yield reject(451, "4.3.0", "could not store message, try again");
            }
            default -> {
                LOG.error("submission handler failed", failure);
                yield reject(451, "4.3.0", "internal error, try again later");
            }
        };
    }

    static RejectException reject(int code, String enhancedCode, String text) {
        return new RejectException(code, enhancedCode + " " + oneLine(text));
    }

    /** Reply text on one line, without control characters, of bounded length. */
    static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "refused";
        }
        String clean = CONTROLS.matcher(text).replaceAll(" ").strip();
        return clean.length() <= MAX_TEXT ? clean : clean.substring(0, MAX_TEXT);
    }
}
