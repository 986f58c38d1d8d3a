package io.poolmta.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant. {@code id} is a 12-digit account number, as in AWS ARNs; {@code name} is the operator's
 * handle for it. Auto warm-up is on by default, as in SES. A new account is in the sandbox
 * ({@code productionAccessEnabled} false, {@link SendQuota#SANDBOX}) until the operator grants it
 * production access. {@code sendingEnabled} is the account's own switch (PutAccountSendingAttributes);
 * {@code pausedByOperator} is the operator's, which the account cannot lift; it sends only while
 * {@link #canSend()}.
 */
public record Account(
        String id,
        String name,
        Instant createdAt,
        boolean dedicatedIpAutoWarmupEnabled,
        boolean sendingEnabled,
        boolean pausedByOperator,
        boolean productionAccessEnabled,
        SendQuota sendQuota) {

    public Account {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(sendQuota);
    }

    /** Whether the account may send: neither it nor the operator has paused its sending. */
    public boolean canSend() {
        return sendingEnabled && !pausedByOperator;
    }

    public Account withAutoWarmup(boolean enabled) {
        return new Account(
                id, name, createdAt, enabled, sendingEnabled, pausedByOperator, productionAccessEnabled, sendQuota);
    }

    public Account withSendingEnabled(boolean enabled) {
        return new Account(
                id,
                name,
                createdAt,
                dedicatedIpAutoWarmupEnabled,
                enabled,
                pausedByOperator,
                productionAccessEnabled,
                sendQuota);
    }

    public Account withPausedByOperator(boolean paused) {
        return new Account(
                id,
                name,
                createdAt,
                dedicatedIpAutoWarmupEnabled,
                sendingEnabled,
                paused,
                productionAccessEnabled,
                sendQuota);
    }

    /** Out of the sandbox, with this quota. */
    public Account withProductionAccess(SendQuota quota) {
        return new Account(
                id, name, createdAt, dedicatedIpAutoWarmupEnabled, sendingEnabled, pausedByOperator, true, quota);
    }
}
