package io.poolmta.suppression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.events.EventTap;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every account's suppression list: kept in the {@link SuppressionStore}, mirrored in one
 * {@link AddressIndex} per account so that {@link #suppressed} (called at acceptance, for every
 * recipient) costs a hash look-up and touches the store only for an address that is on the list.
 * Invariant: every stored entry is in the index (changes reach the index inside the store's
 * transaction); the index may hold a stale hash, which the store confirms away.
 *
 * <p>Which reasons count is SES's rule: the configuration set's SuppressionOptions when it has them
 * (an empty list turns suppression off for the set), else the account's SuppressedReasons (both
 * BOUNCE and COMPLAINT until the account changes them). They decide both whether a listed address
 * is skipped and whether a bounce or complaint adds one.
 *
 * <p>As an {@link EventTap} it adds the recipients of every permanent Bounce (reason BOUNCE) and of
 * every Complaint (reason COMPLAINT); bounces it caused itself (subtype OnAccountSuppressionList)
 * add nothing.
 */
public final class SuppressionList implements EventTap {
    public static final String SUB_TYPE = "OnAccountSuppressionList";
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionList.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPTIONS = "SuppressionOptions";
    /** How far before the last catch-up the next one reads again. */
    public static final Duration CATCH_UP_OVERLAP = Duration.ofMinutes(5);

    private final SuppressionStore store;
    private final Transactions tx;
    private final BiFunction<String, String, Optional<ConfigurationSet>> sets;
    private final Clock clock;
    private final Map<String, AddressIndex> indexes = new ConcurrentHashMap<>();
    private final Map<String, Set<SuppressionReason>> accountReasons = new ConcurrentHashMap<>();
    private final Map<String, Set<SuppressionReason>> setReasons = new ConcurrentHashMap<>();
    /** When the last load or catch-up began (epoch ms of the clock): the next catch-up reads from there. */
    private volatile long caughtUpFrom = Long.MIN_VALUE;

    /** @param sets the account's configuration set of that name, if it (still) exists */
    public SuppressionList(
            SuppressionStore store,
            Transactions tx,
            BiFunction<String, String, Optional<ConfigurationSet>> sets,
            Clock clock) {
        this.store = store;
        this.tx = tx;
        this.sets = sets;
        this.clock = clock;
    }

    /** Builds the in-memory index from the store; call once at start. Returns the number of entries. */
    public long load() {
        long started = clock.millis();
        long[] count = {0};
        store.scan((account, address, reason) -> {
            index(account).put(SuppressionAddresses.hash(address), reason);
            count[0]++;
        });
        caughtUpFrom = started;
        return count[0];
    }

    /**
     * Adds to the index the entries other nodes put since the last load or catch-up (and those of
     * the {@link #CATCH_UP_OVERLAP} before it, for transactions that committed late and clocks a
     * little apart), so that their additions count here as well. An entry another node deleted
     * stays in the index as a stale hash, which the store confirms away. Returns the entries read.
     */
    public synchronized long catchUp() {
        long started = clock.millis();
        long from = caughtUpFrom == Long.MIN_VALUE ? Long.MIN_VALUE : caughtUpFrom - CATCH_UP_OVERLAP.toMillis();
        long[] count = {0};
        store.scanUpdatedSince(from, (account, address, reason) -> {
            index(account).put(SuppressionAddresses.hash(address), reason);
            count[0]++;
        });
        caughtUpFrom = started;
        return count[0];
    }

    /** Forgets the accounts' suppressed reasons, for a change another node made; read again on use. */
    public void forgetAccountReasons() {
        accountReasons.clear();
    }

    // --- the API's operations

    public void put(String accountId, String address, SuppressionReason reason) {
        String normalized = SuppressionAddresses.normalize(address, "EmailAddress");
        put(new SuppressedDestination(
                accountId, normalized, reason, clock.instant(), Optional.empty(), Optional.empty()));
    }

    public SuppressedDestination get(String accountId, String address) {
        String normalized = SuppressionAddresses.normalize(address, "EmailAddress");
        return store.get(accountId, normalized).orElseThrow(() -> notOnList(address));
    }

    public void delete(String accountId, String address) {
        String normalized = SuppressionAddresses.normalize(address, "EmailAddress");
        boolean removed = tx.write(() -> {
            boolean gone = store.delete(accountId, normalized);
            if (gone) {
                index(accountId).remove(SuppressionAddresses.hash(normalized));
            }
            return gone;
        });
        if (!removed) {
            throw notOnList(address);
        }
    }

    /** The account's entries with one of {@code reasons} (all when empty), updated in [start, end). */
    public Page<SuppressedDestination> list(
            String accountId,
            Set<SuppressionReason> reasons,
            Optional<Instant> start,
            Optional<Instant> end,
            PageRequest page) {
        Set<SuppressionReason> wanted = reasons.isEmpty() ? EnumSet.allOf(SuppressionReason.class) : reasons;
        List<SuppressedDestination> rows = store.list(accountId, wanted, start, end, page.after(), page.pageSize() + 1);
        // rows start after the token's address; cutting them from the start yields the next token
        return PageRequest.first(page.pageSize()).slice(rows, SuppressedDestination::emailAddress);
    }

    /** The reasons the account suppresses for (SES's account-level SuppressedReasons). */
    public Set<SuppressionReason> accountReasons(String accountId) {
        return accountReasons.computeIfAbsent(
                accountId,
                id -> store.accountReasons(id).orElseGet(() -> SuppressionReason.of(SuppressionReason.DEFAULT)));
    }

    public void putAccountReasons(String accountId, Set<SuppressionReason> reasons) {
        Set<SuppressionReason> copy = SuppressionReason.of(reasons);
        tx.run(() -> store.putAccountReasons(accountId, copy));
        accountReasons.put(accountId, copy);
    }

    /** The reasons that count for mail sent through {@code set} (the account's when it has no options). */
    public Set<SuppressionReason> effectiveReasons(String accountId, Optional<ConfigurationSet> set) {
        Optional<String> options =
                set.flatMap(s -> Optional.ofNullable(s.storedOptions().get(OPTIONS)));
        if (options.isEmpty()) {
            return accountReasons(accountId);
        }
        if (setReasons.size() > 10_000) {
            setReasons.clear();
        }
        return setReasons.computeIfAbsent(options.get(), SuppressionList::reasonsOf);
    }

    // --- acceptance

    /**
     * The recipients (as given) that must not be sent to: on the account's list with a reason that
     * counts for {@code set}. Costs one hash look-up per recipient when none is listed.
     */
    public List<String> suppressed(String accountId, Optional<ConfigurationSet> set, List<String> recipients) {
        AddressIndex index = indexes.get(accountId);
        if (index == null) {
            return List.of();
        }
        List<String> out = null;
        Set<SuppressionReason> reasons = null;
        for (String recipient : recipients) {
            String normalized = SuppressionAddresses.normalizeValid(recipient);
            SuppressionReason hit = index.get(SuppressionAddresses.hash(normalized));
            if (hit == null) {
                continue;
            }
            if (reasons == null) {
                reasons = effectiveReasons(accountId, set);
            }
            if (!reasons.contains(hit)) {
                continue;
            }
            Optional<SuppressedDestination> entry = store.get(accountId, normalized);
            if (entry.isPresent() && reasons.contains(entry.get().reason())) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(recipient);
            }
        }
        return out == null ? List.of() : out;
    }

    /** The number of addresses on the account's list, as the index holds them. */
    public int size(String accountId) {
        AddressIndex index = indexes.get(accountId);
        return index == null ? 0 : index.size();
    }

    // --- events

    @Override
    public void observe(MailEvent event) {
        SuppressionReason reason;
        Optional<String> feedbackId = Optional.empty();
        if (event.type() == EventType.BOUNCE
                && event.detail() instanceof MailEvent.Bounce b
                && b.bounceType().equals("Permanent")
                && !b.bounceSubType().equals(SUB_TYPE)) {
            reason = SuppressionReason.BOUNCE;
            feedbackId = Optional.of(event.envelope().messageId() + "-bounce");
        } else if (event.type() == EventType.COMPLAINT) {
            reason = SuppressionReason.COMPLAINT;
        } else {
            return;
        }
        String accountId = event.envelope().accountId();
        Optional<ConfigurationSet> set =
                event.envelope().configurationSet().flatMap(name -> sets.apply(accountId, name));
        if (!effectiveReasons(accountId, set).contains(reason)) {
            return;
        }
        Instant now = clock.instant();
        for (String recipient : event.recipients()) {
            put(new SuppressedDestination(
                    accountId,
                    SuppressionAddresses.normalizeValid(recipient),
                    reason,
                    now,
                    Optional.of(event.envelope().messageId()),
                    feedbackId));
        }
        LOG.info(
                "added {} recipient(s) of {} to account {}'s suppression list ({})",
                event.recipients().size(),
                event.envelope().messageId(),
                accountId,
                reason);
    }

    // --- imports

    /** Adds or replaces entries in one transaction (import jobs apply their records in batches). */
    public void putAll(List<SuppressedDestination> entries) {
        tx.run(() -> entries.forEach(this::putInTransaction));
    }

    /** Removes entries in one transaction; absent ones are no error. */
    public void deleteAll(String accountId, List<String> normalizedAddresses) {
        tx.run(() -> {
            for (String address : normalizedAddresses) {
                if (store.delete(accountId, address)) {
                    index(accountId).remove(SuppressionAddresses.hash(address));
                }
            }
        });
    }

    private void put(SuppressedDestination entry) {
        tx.run(() -> putInTransaction(entry));
    }

    private void putInTransaction(SuppressedDestination entry) {
        // index first: should the commit fail, the index holds a hash the store confirms away
        index(entry.accountId()).put(SuppressionAddresses.hash(entry.emailAddress()), entry.reason());
        store.put(entry);
    }

    private AddressIndex index(String accountId) {
        return indexes.computeIfAbsent(accountId, id -> new AddressIndex());
    }

    private static PoolMtaException notOnList(String address) {
        return PoolMtaException.notFound(address + " is not on the account's suppression list.");
    }

    /** SuppressedReasons of a stored SuppressionOptions group; none when it has none. */
    static Set<SuppressionReason> reasonsOf(String optionsJson) {
        EnumSet<SuppressionReason> out = EnumSet.noneOf(SuppressionReason.class);
        try {
            JsonNode reasons = JSON.readTree(optionsJson).path("SuppressedReasons");
            for (JsonNode r : reasons) {
                out.add(SuppressionReason.valueOf(r.asText()));
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("unreadable SuppressionOptions {}; suppressing nothing for that set", optionsJson);
        }
        return out;
    }
}
