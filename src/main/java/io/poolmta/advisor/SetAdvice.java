package io.poolmta.advisor;

/**
 * One configuration set's volume and rates over the window ("" is mail sent without a set), and
 * whether it should be isolated in its own pool, with the reason (empty when not).
 */
public record SetAdvice(
        String name,
        String pool,
        long sent,
        long bounced,
        long complained,
        double bounceRate,
        double complaintRate,
        boolean isolate,
        String reason) {}
