package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.delivery.smtp.DeliveryResult;
import io.poolmta.delivery.smtp.RecipientResult;
import io.poolmta.delivery.smtp.SmtpReply;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a receiver's replies mean for each recipient, and the delay type of the retried ones. */
class OutcomeClassifierTest {
    private static final Optional<String> REACHED = Optional.of("127.0.0.1:25");

    @Test
    void sortsRecipientsByTheirReplyGroupingEqualReplies() {
        OutcomeClassifier.Outcome outcome = OutcomeClassifier.classify(result(
                REACHED,
                "a@x.example 250 2.0.0 Ok",
                "b@x.example 550 5.1.1 unknown",
                "c@x.example 250 2.0.0 Ok",
                "d@x.example 451 4.3.0 later",
                "e@x.example 450 4.2.1 busy"));

        assertThat(outcome.delivered())
                .containsExactly(Map.entry("250 2.0.0 Ok", List.of("a@x.example", "c@x.example")));
        assertThat(outcome.bounced()).containsOnlyKeys("550 5.1.1 unknown");
        assertThat(outcome.retry()).containsExactly("d@x.example", "e@x.example");
        assertThat(outcome.retryReply()).contains("451 4.3.0 later");
        assertThat(outcome.delayType()).isEqualTo(DelayType.RECIPIENT_SERVER_ERROR);
    }

    @Test
    void theDelayTypeComesFromTheReply() {
        assertThat(delayType(REACHED, "a@x.example 452 mailbox over quota")).isEqualTo(DelayType.MAILBOX_FULL);
        assertThat(delayType(REACHED, "a@x.example 450 4.2.2 mailbox full")).isEqualTo(DelayType.MAILBOX_FULL);
        assertThat(delayType(REACHED, "a@x.example 421 4.7.28 unusual rate of mail"))
                .isEqualTo(DelayType.IP_FAILURE);
        assertThat(delayType(Optional.empty(), "a@x.example 421 4.4.1 connection refused"))
                .isEqualTo(DelayType.TRANSIENT_COMMUNICATION_FAILURE);
        assertThat(delayType(REACHED, "a@x.example 451 4.3.0 try later")).isEqualTo(DelayType.RECIPIENT_SERVER_ERROR);
        assertThat(delayType(
                        REACHED,
                        "a@x.example 250 2.0.0 Ok",
                        "b@x.example 450 4.2.1 busy",
                        "c@x.example 421 4.7.0 throttled"))
                .as("a throttle anywhere in the message")
                .isEqualTo(DelayType.IP_FAILURE);
    }

    @Test
    void aThrottleOrAnUnreachableServerSlowsThePathDown() {
        assertThat(OutcomeClassifier.throttlesPath(result(REACHED, "a@x.example 421 4.7.0 rate limited")))
                .isTrue();
        assertThat(OutcomeClassifier.throttlesPath(result(Optional.empty(), "a@x.example 421 4.4.1 refused")))
                .isTrue();
        assertThat(OutcomeClassifier.throttlesPath(result(REACHED, "a@x.example 451 4.3.0 later")))
                .isFalse();
        assertThat(OutcomeClassifier.throttlesPath(result(Optional.empty(), "a@x.example 550 5.7.1 no")))
                .isFalse();
        assertThat(OutcomeClassifier.delivered(result(REACHED, "a@x.example 550 5.1.1 no", "b@x.example 250 Ok")))
                .isTrue();
    }

    private static DelayType delayType(Optional<String> remote, String... replies) {
        return OutcomeClassifier.classify(result(remote, replies)).delayType();
    }

    /** Each of {@code replies} is "recipient code text". */
    private static DeliveryResult result(Optional<String> remote, String... replies) {
        List<RecipientResult> results = Arrays.stream(replies)
                .map(r -> {
                    String[] parts = r.split(" ", 3);
                    return new RecipientResult(parts[0], new SmtpReply(Integer.parseInt(parts[1]), parts[2]));
                })
                .toList();
        return new DeliveryResult("m", remote, false, results);
    }
}
