package io.poolmta.reputation;

import java.util.Objects;

/**
 * The finest cell the counters keep: one account's mail through one configuration set ("" for
 * none), from one pool (where it left from: {@code ses-shared-pool} for an account without
 * dedicated IPs and for warm-up overflow; the message's own pool for SENT), one sending IP (""
 * before one was chosen, so always for SENT), to one mailbox provider (the recipient domain
 * classified by the provider table, {@code other} when none matches), from one identity (the
 * From domain, lower case; "" when unknown).
 */
public record CounterKey(
        String accountId, String configurationSet, String pool, String ip, String provider, String identity) {
    public CounterKey {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(configurationSet);
        Objects.requireNonNull(pool);
        Objects.requireNonNull(ip);
        Objects.requireNonNull(provider);
        Objects.requireNonNull(identity);
    }
}
