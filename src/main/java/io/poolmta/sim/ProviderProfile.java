package io.poolmta.sim;

import java.util.Objects;

/**
 * How one simulated mailbox provider treats source IPs: the limits of a new IP and of an
 * established one, the rules that move an IP between them (its reputation, 0–100), and the replies
 * it throttles and refuses with.
 * <p>
 * The limits an IP gets are {@link #limitsAt(double) geometric steps} from {@code newIp} (score 0)
 * to {@code established} (score 100), so each good day multiplies a warming IP's allowance by the
 * same factor, as a warm-up plan does. The presets' numbers are illustrative: providers publish no
 * limits, these only have the right shape (Outlook strictest with new IPs, Gmail most generous once
 * established).
 */
public record ProviderProfile(
        String name,
        SendingLimits newIp,
        SendingLimits established,
        ReputationRules reputation,
        ProviderReplies replies) {
    /** A new IP: 60 messages an hour, 20 per connection, 3 connections at once. */
    public static final SendingLimits DEFAULT_NEW_IP = new SendingLimits(60, 20, 3);
    /** An established IP: 60,000 messages an hour, 100 per connection, 20 connections at once. */
    public static final SendingLimits DEFAULT_ESTABLISHED = new SendingLimits(60_000, 100, 20);

    public ProviderProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(newIp, "newIp");
        Objects.requireNonNull(established, "established");
        Objects.requireNonNull(reputation, "reputation");
        Objects.requireNonNull(replies, "replies");
        if (name.isBlank() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("provider name must be non-blank printable text");
        }
        if (!established.atLeast(newIp)) {
            throw new IllegalArgumentException(
                    "established limits " + established + " must be at least the new IP's " + newIp);
        }
    }

    /** The named defaults with Postfix-style replies. */
    public static ProviderProfile defaults(String name) {
        return new ProviderProfile(
                name, DEFAULT_NEW_IP, DEFAULT_ESTABLISHED, ReputationRules.defaults(), ProviderReplies.generic());
    }

    /**
     * Gmail-like: new IP 60/h, 20 per connection, 3 connections; established 60,000/h, 100, 20.
     * A good day is 50 messages and adds 4 (25 good days to established); an idle day takes 4.
     * Throttles with 421 4.7.28 (and closes the connection).
     */
    public static ProviderProfile gmailLike() {
        return new ProviderProfile(
                "gmail-sim", DEFAULT_NEW_IP, DEFAULT_ESTABLISHED, ReputationRules.defaults(), ProviderReplies.gmail());
    }

    /**
     * Outlook-like: new IP 20/h, 10 per connection, 2 connections; established 20,000/h, 50, 10.
     * A good day is 20 messages and adds 3 (34 good days); an idle day takes 5. Throttles with
     * 451 4.7.650 (the connection stays open).
     */
    public static ProviderProfile outlookLike() {
        return new ProviderProfile(
                "outlook-sim",
                new SendingLimits(20, 10, 2),
                new SendingLimits(20_000, 50, 10),
                new ReputationRules(20, 3.0, 5.0, ReputationRules.DEFAULT_MEMORY_DAYS),
                ProviderReplies.outlook());
    }

    /**
     * Yahoo-like: new IP 40/h, 20 per connection, 2 connections; established 40,000/h, 100, 10.
     * A good day is 40 messages and adds 3.5 (29 good days); an idle day takes 3. Throttles with
     * 421 4.7.0 [TSS04] (and closes the connection).
     */
    public static ProviderProfile yahooLike() {
        return new ProviderProfile(
                "yahoo-sim",
                new SendingLimits(40, 20, 2),
                new SendingLimits(40_000, 100, 10),
                new ReputationRules(40, 3.5, 3.0, ReputationRules.DEFAULT_MEMORY_DAYS),
                ProviderReplies.yahoo());
    }

    /** Accepts everything from everyone (unknown users still get 550 5.1.1): the demo's receivers. */
    public static ProviderProfile lenient() {
        return new ProviderProfile(
                "lenient-sim",
                SendingLimits.UNLIMITED,
                SendingLimits.UNLIMITED,
                new ReputationRules(1, 0.0, 0.0, 1),
                ProviderReplies.generic());
    }

    /** The limits of an IP whose reputation score is {@code score} (0–100). */
    public SendingLimits limitsAt(double score) {
        return SendingLimits.between(newIp, established, score / ReputationRules.MAX_SCORE);
    }

    public ProviderProfile withName(String newName) {
        return new ProviderProfile(newName, newIp, established, reputation, replies);
    }

    public ProviderProfile withNewIp(SendingLimits limits) {
        return new ProviderProfile(name, limits, established, reputation, replies);
    }

    /** Both ends at once, when the new ones would not fit between the old ones one at a time. */
    public ProviderProfile withLimits(SendingLimits newIpLimits, SendingLimits establishedLimits) {
        return new ProviderProfile(name, newIpLimits, establishedLimits, reputation, replies);
    }

    public ProviderProfile withReputation(ReputationRules rules) {
        return new ProviderProfile(name, newIp, established, rules, replies);
    }
}
