package io.poolmta.configset;

import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.pool.PoolNames;
import io.poolmta.pool.PoolStore;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.Tag;
import io.poolmta.tag.TagStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Configuration sets of an account. A set may name its own account's pool, the default pool or the
 * shared pool; naming a pool that does not exist is NotFound. Put operations replace the whole
 * option group they name, as in SES.
 */
public final class ConfigurationSetService {
    public static final int MAX_CONFIGURATION_SETS = 10_000;

    private final ConfigurationSetStore sets;
    private final PoolStore pools;
    private final TagStore tags;
    private final Transactions tx;
    private final Clock clock;

    public ConfigurationSetService(
            ConfigurationSetStore sets, PoolStore pools, TagStore tags, Transactions tx, Clock clock) {
        this.sets = sets;
        this.pools = pools;
        this.tags = tags;
        this.tx = tx;
        this.clock = clock;
    }

    public void create(String accountId, NewConfigurationSet input) {
        ConfigurationSetNames.requireValid(input.name());
        Tag.requireDistinctKeys(input.tags());
        tx.run(() -> {
            if (sets.get(accountId, input.name()).isPresent()) {
                throw PoolMtaException.alreadyExists("Configuration set " + input.name() + " already exists.");
            }
            if (sets.names(accountId).size() >= MAX_CONFIGURATION_SETS) {
                throw PoolMtaException.limitExceeded(
                        "An account can have at most " + MAX_CONFIGURATION_SETS + " configuration sets.");
            }
            requirePoolExists(accountId, input.deliveryOptions());
            sets.insert(new ConfigurationSet(
                    accountId,
                    input.name(),
                    clock.instant(),
                    input.deliveryOptions(),
                    input.sendingEnabled(),
                    input.reputationOptions(),
                    input.storedOptions()));
            if (!input.tags().isEmpty()) {
                tags.put(accountId, ResourceType.CONFIGURATION_SET, input.name(), input.tags());
            }
        });
    }

    public ConfigurationSet get(String accountId, String name) {
        ConfigurationSetNames.requireValid(name);
        return sets.get(accountId, name).orElseThrow(() -> notFound(name));
    }

    /** The set, empty when it does not exist (no error). */
    public Optional<ConfigurationSet> find(String accountId, String name) {
        return sets.get(accountId, name);
    }

    public boolean exists(String accountId, String name) {
        return sets.get(accountId, name).isPresent();
    }

    /** The account's set names in order, only those containing {@code nameContains} when given. */
    public Page<String> list(String accountId, Optional<String> nameContains, PageRequest page) {
        List<String> names = sets.names(accountId);
        if (nameContains.isPresent()) {
            names = names.stream().filter(n -> n.contains(nameContains.get())).toList();
        }
        return page.slice(names, n -> n);
    }

    public void delete(String accountId, String name) {
        tx.run(() -> {
            get(accountId, name);
            tags.removeAll(accountId, ResourceType.CONFIGURATION_SET, name);
            sets.delete(accountId, name);
        });
    }

    public void putDeliveryOptions(String accountId, String name, DeliveryOptions options) {
        change(accountId, name, set -> {
            requirePoolExists(accountId, options);
            return set.withDeliveryOptions(options);
        });
    }

    public void putSendingEnabled(String accountId, String name, boolean enabled) {
        change(accountId, name, set -> set.withSendingEnabled(enabled));
    }

    public void putReputationOptions(String accountId, String name, boolean enabled) {
        change(
                accountId,
                name,
                set -> set.withReputationOptions(
                        new ReputationOptions(enabled, set.reputationOptions().lastFreshStart())));
    }

    /** Gives the set's reputation metrics a fresh start at {@code at} (ReputationOptions.LastFreshStart). */
    public void putLastFreshStart(String accountId, String name, Instant at) {
        change(
                accountId,
                name,
                set -> set.withReputationOptions(
                        new ReputationOptions(set.reputationOptions().reputationMetricsEnabled(), Optional.of(at))));
    }

    /**
     * Replaces one of the option groups PoolMTA keeps as given (tracking, suppression, ...); an
     * empty value removes the group.
     */
    public void putStoredOption(String accountId, String name, String option, Optional<String> json) {
        change(accountId, name, set -> set.withStoredOption(option, json));
    }

    private void change(String accountId, String name, UnaryOperator<ConfigurationSet> edit) {
        tx.run(() -> sets.update(edit.apply(get(accountId, name))));
    }

    private void requirePoolExists(String accountId, DeliveryOptions options) {
        options.sendingPoolName().ifPresent(pool -> {
            if (!PoolNames.isReserved(pool) && pools.get(accountId, pool).isEmpty()) {
                throw PoolMtaException.notFound(
                        "Pool " + pool + " does not exist; create it before naming it in SendingPoolName.");
            }
        });
    }

    private static PoolMtaException notFound(String name) {
        return PoolMtaException.notFound("Configuration set " + name + " does not exist.");
    }
}
