package io.poolmta.advisor;

/**
 * Recipients of one UTC day ({@code day}, epoch day) for one account, configuration set ("" none),
 * pool, sending IP ("" when no source was chosen) and mailbox provider: {@code sent} reached a final
 * outcome (delivered or bounced), {@code bounced} bounced permanently, {@code complained} complained.
 */
public record DailyVolume(
        long day,
        String accountId,
        String configurationSet,
        String pool,
        String ip,
        String provider,
        long sent,
        long bounced,
        long complained) {}
