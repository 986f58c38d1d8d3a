package io.poolmta.delivery;

import io.poolmta.delivery.smtp.DeliveryResult;
import io.poolmta.delivery.smtp.RecipientResult;
import io.poolmta.delivery.smtp.SmtpReply;
import io.poolmta.provider.BounceClassifier;
import io.poolmta.provider.BounceVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the receiver's replies mean (docs/ARCHITECTURE.md), per recipient of an attempted message:
 * 2xx → delivered; 5xx → a {@link BounceType#PERMANENT} bounce; 4xx → a DeliveryDelay and a retry
 * after the backoff (it bounces {@link BounceType#TRANSIENT} at its expiry). The bounce's SES type
 * and sub-type come from the {@link BounceClassifier} that asynchronous bounces use too
 * ({@link #verdict}). The delay type of the
 * retried recipients, in this order: a throttling reply from any recipient → IPFailure; no server
 * reached → TransientCommunicationFailure; otherwise the first temporary reply looked up in
 * {@link #DELAY_RULES}, RecipientServerError when no rule matches. Pure: no state, no I/O.
 */
final class OutcomeClassifier {
    /** A temporary reply with this code, or whose text carries this enhanced status, means {@code type}. */
    record DelayRule(int code, String enhancedStatus, DelayType type) {
        boolean matches(SmtpReply reply) {
            return reply.code() == code || reply.text().contains(enhancedStatus);
        }
    }

    /** The delay types a receiver's own reply can say, tried in order. */
    static final List<DelayRule> DELAY_RULES = List.of(new DelayRule(452, "4.2.2", DelayType.MAILBOX_FULL));

    /**
     * One attempted message's recipients by outcome: the delivered and the bounced grouped by
     * reply (one event per distinct reply, in order of appearance), the ones to retry with the
     * first temporary reply and its delay type.
     */
    record Outcome(
            Map<String, List<String>> delivered,
            Map<String, List<String>> bounced,
            List<String> retry,
            Optional<String> retryReply,
            DelayType delayType) {}

    private OutcomeClassifier() {}

    static Outcome classify(DeliveryResult result) {
        Map<String, List<String>> delivered = new LinkedHashMap<>();
        Map<String, List<String>> bounced = new LinkedHashMap<>();
        List<String> retry = new ArrayList<>();
        SmtpReply retryReply = null;
        for (RecipientResult r : result.recipients()) {
            if (r.reply().positive()) {
                delivered
                        .computeIfAbsent(r.reply().toString(), k -> new ArrayList<>())
                        .add(r.recipient());
            } else if (r.reply().permanentFailure()) {
                bounced.computeIfAbsent(r.reply().toString(), k -> new ArrayList<>())
                        .add(r.recipient());
            } else {
                retry.add(r.recipient());
                retryReply = retryReply == null ? r.reply() : retryReply;
            }
        }
        return retryReply == null
                ? new Outcome(delivered, bounced, retry, Optional.empty(), DelayType.RECIPIENT_SERVER_ERROR)
                : new Outcome(
                        delivered, bounced, retry, Optional.of(retryReply.toString()), delayType(result, retryReply));
    }

    /**
     * The SES type and sub-type of a bounce with {@code reply}: the classifier's verdict, except
     * that a Permanent bounce the classifier cannot place is Permanent/General and a message that
     * expired is Transient whatever its last reply said (General unless that reply says more).
     */
    static BounceVerdict verdict(String reply, BounceType type) {
        BounceVerdict verdict = BounceClassifier.standard().classifyReply(reply);
        return switch (type) {
            case PERMANENT ->
                verdict.bounceType().equals(BounceVerdict.UNDETERMINED) ? BounceVerdict.PERMANENT_GENERAL : verdict;
            case TRANSIENT ->
                verdict.bounceType().equals(BounceVerdict.TRANSIENT) ? verdict : BounceVerdict.TRANSIENT_GENERAL;
        };
    }

    /** The delay type of a result's temporary failures, {@code first} being the first temporary reply. */
    static DelayType delayType(DeliveryResult result, SmtpReply first) {
        if (result.recipients().stream().anyMatch(r -> AdaptiveThrottle.isThrottle(r.reply()))) {
            return DelayType.IP_FAILURE;
        }
        if (result.remoteAddress().isEmpty()) {
            return DelayType.TRANSIENT_COMMUNICATION_FAILURE;
        }
        return DELAY_RULES.stream()
                .filter(rule -> rule.matches(first))
                .map(DelayRule::type)
                .findFirst()
                .orElse(DelayType.RECIPIENT_SERVER_ERROR);
    }

    /**
     * Whether the result tells the path to slow down: a throttling reply, or no server reached
     * with a temporary failure (a refused or dropped connection).
     */
    static boolean throttlesPath(DeliveryResult result) {
        return result.recipients().stream().anyMatch(r -> AdaptiveThrottle.isThrottle(r.reply()))
                || (result.remoteAddress().isEmpty()
                        && result.recipients().stream().anyMatch(r -> r.reply().transientFailure()));
    }

    /** Whether any recipient of the message was delivered (it counts towards the throttle's recovery). */
    static boolean delivered(DeliveryResult result) {
        return result.recipients().stream().anyMatch(r -> r.reply().positive());
    }
}
