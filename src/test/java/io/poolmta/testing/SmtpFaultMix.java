package io.poolmta.testing;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A seeded random fault mix for a {@link ScriptedSmtpServer}, consulted where no {@link SmtpRule}
 * applies: at each stage, with that stage's {@link Odds}, a random 4xx, a random 5xx, a dropped
 * connection or a slow reply instead of the well-mannered default.
 * <ul>
 *   <li>4xx: 421 (the server then closes the connection, RFC 5321 §3.8), 450, 451 or 452; 5xx:
 *       550 or 554; at the greeting 421 and 554. No reply text asks the sender to slow down (no
 *       4.7.x, no "rate"): the client's adaptive throttle reacts only to lost connections.</li>
 *   <li>A drop at DATA happens mid-content (after 354 and the first line); at DATA_END the
 *       message is accepted and recorded, then the connection closes instead of the 250: the
 *       client cannot know, so a retry is an honest duplicate. Elsewhere it closes without a reply.</li>
 *   <li>A slow reply waits between {@code slowest / 4} and {@code slowest}, then proceeds.</li>
 * </ul>
 * Reproducible: each draw comes from the seed, the stage, the subject (the argument: EHLO name,
 * sender, recipient; the transaction's sender at DATA and DATA_END) and how often that (stage,
 * subject) was drawn for before. With unique senders and recipients, the n-th RCPT of a recipient
 * meets the same fate in every run with the same seed, however connections interleave.
 * Thread-safe.
 */
public final class SmtpFaultMix {
    private static final List<Integer> TEMPORARY = List.of(421, 450, 451, 452);
    private static final List<Integer> PERMANENT = List.of(550, 554);

    /** Chances (0..1, summing to at most 1) of each fault at one command of a stage. */
    public record Odds(double tempFail, double permFail, double drop, double slow) {
        public static final Odds NONE = new Odds(0, 0, 0, 0);

        public Odds {
            for (double p : new double[] {tempFail, permFail, drop, slow}) {
                if (p < 0 || p > 1) {
                    throw new IllegalArgumentException("odds are between 0 and 1: " + p);
                }
            }
            if (tempFail + permFail + drop + slow > 1) {
                throw new IllegalArgumentException("odds add up to more than 1");
            }
        }
    }

    private record Subject(SmtpStage stage, String key) {}

    private final long seed;
    private final Map<SmtpStage, Odds> odds;
    private final Duration slowest;
    private final Map<Subject, AtomicInteger> draws = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tally = new ConcurrentHashMap<>();

    private SmtpFaultMix(long seed, Map<SmtpStage, Odds> odds, Duration slowest) {
        this.seed = seed;
        this.odds = Map.copyOf(odds);
        this.slowest = slowest;
    }

    public static Builder seeded(long seed) {
        return new Builder(seed);
    }

    public long seed() {
        return seed;
    }

    /** How many faults of each kind were drawn so far, by "STAGE kind" ("RCPT 451", "DATA drop", "EHLO slow"). */
    public Map<String, Integer> tally() {
        Map<String, Integer> out = new TreeMap<>();
        tally.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The fault for this command, as a one-off rule; empty: behave as by default. */
    Optional<SmtpRule> draw(SmtpStage stage, String subject) {
        Odds o = odds.getOrDefault(stage, Odds.NONE);
        if (o.equals(Odds.NONE)) {
            return Optional.empty();
        }
        String key = Objects.requireNonNullElse(subject, "").toLowerCase(Locale.ROOT);
        int n = draws.computeIfAbsent(new Subject(stage, key), s -> new AtomicInteger())
                .getAndIncrement();
        SplittableRandom random =
                new SplittableRandom(((seed * 31 + stage.ordinal()) * 1_000_003L + key.hashCode()) * 7919 + n);
        double u = random.nextDouble();
        SmtpRule.Builder rule = SmtpRule.at(stage).firstTimes(1);
        if ((u -= o.tempFail()) < 0) {
            int code = TEMPORARY.get(random.nextInt(TEMPORARY.size()));
            code = stage == SmtpStage.GREETING ? 421 : code;
            String text = text(code, stage);
            count(stage, String.valueOf(code));
            return Optional.of(code == 421 ? rule.replyThenDrop(code, text) : rule.reply(code, text));
        }
        if ((u -= o.permFail()) < 0) {
            int code = stage == SmtpStage.GREETING ? 554 : PERMANENT.get(random.nextInt(PERMANENT.size()));
            count(stage, String.valueOf(code));
            return Optional.of(rule.reply(code, text(code, stage)));
        }
        if ((u -= o.drop()) < 0) {
            count(stage, "drop");
            return Optional.of(
                    switch (stage) {
                        case DATA -> rule.dropInContent();
                        case DATA_END -> rule.acceptThenDrop();
                        default -> rule.drop();
                    });
        }
        if ((u -= o.slow()) < 0) {
            count(stage, "slow");
            long millis = slowest.toMillis();
            return Optional.of(rule.after(Duration.ofMillis(millis / 4 + random.nextLong(millis - millis / 4 + 1)))
                    .proceed());
        }
        return Optional.empty();
    }

    private void count(SmtpStage stage, String kind) {
        tally.computeIfAbsent(stage + " " + kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private String text(int code, SmtpStage stage) {
        String status = switch (code) {
            case 421 -> "4.3.2 closing connection";
            case 450 -> "4.2.1 mailbox unavailable";
            case 451 -> "4.3.0 local error";
            case 452 -> "4.2.2 insufficient storage";
            case 550 -> "5.1.1 mailbox unavailable";
            default -> "5.3.0 transaction failed";
        };
        return status + " (fault mix seed " + seed + " at " + stage + ")";
    }

    /** Collects the odds per stage; stages without odds never fault. */
    public static final class Builder {
        private final long seed;
        private final Map<SmtpStage, Odds> odds = new EnumMap<>(SmtpStage.class);
        private Duration slowest = Duration.ofMillis(200);

        private Builder(long seed) {
            this.seed = seed;
        }

        public Builder at(SmtpStage stage, Odds stageOdds) {
            odds.put(Objects.requireNonNull(stage), Objects.requireNonNull(stageOdds));
            return this;
        }

        /** The longest a slow reply waits; keep it well below the client's timeouts. Default 200 ms. */
        public Builder slowest(Duration delay) {
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("slowest must be positive: " + delay);
            }
            this.slowest = delay;
            return this;
        }

        public SmtpFaultMix build() {
            return new SmtpFaultMix(seed, odds, slowest);
        }
    }
}
