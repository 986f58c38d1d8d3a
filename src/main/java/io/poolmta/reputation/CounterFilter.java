package io.poolmta.reputation;

import java.util.Optional;

/** Which cells a query adds up: each present field must equal the cell's; empty fields match all. */
public record CounterFilter(
        Optional<String> accountId,
        Optional<String> configurationSet,
        Optional<String> pool,
        Optional<String> ip,
        Optional<String> provider,
        Optional<String> identity) {
    public static final CounterFilter ALL = new CounterFilter(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public static CounterFilter account(String accountId) {
        return ALL.withAccount(accountId);
    }

    public CounterFilter withAccount(String value) {
        return new CounterFilter(Optional.of(value), configurationSet, pool, ip, provider, identity);
    }

    public CounterFilter withConfigurationSet(String value) {
        return new CounterFilter(accountId, Optional.of(value), pool, ip, provider, identity);
    }

    public CounterFilter withPool(String value) {
        return new CounterFilter(accountId, configurationSet, Optional.of(value), ip, provider, identity);
    }

    public CounterFilter withIp(String value) {
        return new CounterFilter(accountId, configurationSet, pool, Optional.of(value), provider, identity);
    }

    public CounterFilter withProvider(String value) {
        return new CounterFilter(accountId, configurationSet, pool, ip, Optional.of(value), identity);
    }

    public CounterFilter withIdentity(String value) {
        return new CounterFilter(accountId, configurationSet, pool, ip, provider, Optional.of(value));
    }

    public boolean matches(CounterKey key) {
        return accountId.map(key.accountId()::equals).orElse(true)
                && configurationSet.map(key.configurationSet()::equals).orElse(true)
                && pool.map(key.pool()::equals).orElse(true)
                && ip.map(key.ip()::equals).orElse(true)
                && provider.map(key.provider()::equalsIgnoreCase).orElse(true)
                && identity.map(key.identity()::equalsIgnoreCase).orElse(true);
    }
}
