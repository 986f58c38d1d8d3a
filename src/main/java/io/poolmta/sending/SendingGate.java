package io.poolmta.sending;

import java.util.Optional;

/**
 * A check at acceptance beyond the account's and the set's own sending switches, such as
 * reputation enforcement: it throws a {@code PoolMtaException} (SENDING_PAUSED, MESSAGE_REJECTED,
 * TOO_MANY_REQUESTS) that says why a message from this account, through this configuration set
 * (empty: none), for this pool may not be accepted now, and returns when it may.
 */
@FunctionalInterface
public interface SendingGate {
    SendingGate OPEN = (accountId, configurationSet, pool) -> {};

    void check(String accountId, Optional<String> configurationSet, String pool);
}
