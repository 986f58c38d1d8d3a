package io.poolmta.advisor;

/** What the advisor recommends for an account's sending. */
public enum Recommendation {
    /** Nothing was sent in the window: nothing to judge. */
    NO_TRAFFIC,
    /** Low or irregular volume: the shared pool's reputation serves it better. */
    SHARED_POOL,
    /** High and steady volume: dedicated IPs, as many as {@link AccountAdvice#ipPlan()} says. */
    DEDICATED
}
