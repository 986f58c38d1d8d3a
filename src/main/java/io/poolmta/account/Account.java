package io.poolmta.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant. {@code id} is a 12-digit account number, as in AWS ARNs; {@code name} is the operator's
 * handle for it. Auto warm-up is on by default, as in SES.
 */
public record Account(
        String id,
        String name,
        Instant createdAt,
        boolean dedicatedIpAutoWarmupEnabled,
        boolean sendingEnabled,
        SendQuota sendQuota) {

    public Account {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(sendQuota);
    }

    public Account withAutoWarmup(boolean enabled) {
        return new Account(id, name, createdAt, enabled, sendingEnabled, sendQuota);
    }
}
