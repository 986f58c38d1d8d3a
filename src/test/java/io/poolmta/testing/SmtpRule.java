package io.poolmta.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a {@link ScriptedSmtpServer}'s script: at a stage, for a matching argument (any when
 * empty), for the first {@code times} matches counted over the server's whole life ({@link #ALWAYS}
 * for no limit), wait {@code delay} and then act. The first rule that matches and has uses left
 * wins; when none does, the server behaves as a well-mannered receiver.
 * <pre>
 * SmtpRule.at(SmtpStage.RCPT).matching("nobody@example.com").reply(550, "5.1.1 no such user")
 * SmtpRule.at(SmtpStage.DATA_END).firstTimes(2).reply(451, "4.3.0 try again later")
 * SmtpRule.at(SmtpStage.DATA).drop()
 * SmtpRule.at(SmtpStage.DATA_END).after(Duration.ofSeconds(2)).proceed()
 * SmtpRule.at(SmtpStage.DATA).dropInContent()
 * SmtpRule.at(SmtpStage.DATA_END).acceptThenDrop()
 * </pre>
 */
public record SmtpRule(SmtpStage stage, Optional<String> argument, int times, Duration delay, Action action) {
    public static final int ALWAYS = -1;

    public SmtpRule {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(argument, "argument");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
        if (times != ALWAYS && times < 1) {
            throw new IllegalArgumentException("times must be ALWAYS or at least 1: " + times);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        if (action instanceof DropInContent && stage != SmtpStage.DATA) {
            throw new IllegalArgumentException("dropInContent is a DATA action, not " + stage);
        }
        if (action instanceof AcceptThenDrop && stage != SmtpStage.DATA_END) {
            throw new IllegalArgumentException("acceptThenDrop is a DATA_END action, not " + stage);
        }
    }

    /** What the server does once a rule applies. */
    public sealed interface Action
            permits Reply, ReplyThenDrop, Drop, Silence, Proceed, DropInContent, AcceptThenDrop {}

    /** Reply with this code and text instead of the default; "\n" in the text makes a multi-line reply. */
    public record Reply(int code, String text) implements Action {}

    /** Reply, then close the connection (a 220 to STARTTLS followed by no handshake: a TLS failure). */
    public record ReplyThenDrop(int code, String text) implements Action {}

    /** Close the connection without a reply. */
    public record Drop() implements Action {}

    /** Never reply; keep the connection open until the client leaves or the server closes. */
    public record Silence() implements Action {}

    /** Behave as by default (useful with a delay: a slow reply). */
    public record Proceed() implements Action {}

    /** At DATA only: say 354, read the first line of the content, then close the connection. */
    public record DropInContent() implements Action {}

    /**
     * At DATA_END only: accept and record the message, then close the connection instead of
     * replying. The client cannot know the message arrived: a retry makes a duplicate.
     */
    public record AcceptThenDrop() implements Action {}

    public static Builder at(SmtpStage stage) {
        return new Builder(stage);
    }

    /** Whether this rule is about {@code stage} and {@code actual} (case-insensitive). */
    public boolean matches(SmtpStage actual, String actualArgument) {
        return stage == actual
                && argument.map(a -> a.equalsIgnoreCase(actualArgument)).orElse(true);
    }

    /** Collects a rule's conditions; a terminal method (reply, drop, …) makes the rule. */
    public static final class Builder {
        private final SmtpStage stage;
        private Optional<String> argument = Optional.empty();
        private int times = ALWAYS;
        private Duration delay = Duration.ZERO;

        private Builder(SmtpStage stage) {
            this.stage = Objects.requireNonNull(stage);
        }

        /** Only when the argument (address, EHLO name) equals this, ignoring case. */
        public Builder matching(String value) {
            this.argument = Optional.of(value);
            return this;
        }

        /** Only for the first {@code n} matches; afterwards the next rule or the default applies. */
        public Builder firstTimes(int n) {
            this.times = n;
            return this;
        }

        /** Wait this long before acting (a slow server). */
        public Builder after(Duration wait) {
            this.delay = wait;
            return this;
        }

        public SmtpRule reply(int code, String text) {
            return build(new Reply(code, text));
        }

        public SmtpRule replyThenDrop(int code, String text) {
            return build(new ReplyThenDrop(code, text));
        }

        public SmtpRule drop() {
            return build(new Drop());
        }

        public SmtpRule silence() {
            return build(new Silence());
        }

        public SmtpRule proceed() {
            return build(new Proceed());
        }

        public SmtpRule dropInContent() {
            return build(new DropInContent());
        }

        public SmtpRule acceptThenDrop() {
            return build(new AcceptThenDrop());
        }

        private SmtpRule build(Action action) {
            return new SmtpRule(stage, argument, times, delay, action);
        }
    }
}
