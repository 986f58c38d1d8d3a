package io.poolmta.events;

import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.configset.ConfigurationSetService;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Create/Get/Update/Delete of a configuration set's event destinations. Names are 1–64 letters,
 * digits, '_' and '-'; at most 10 per set (SES's quota). A webhook target must be an absolute
 * http(s) URL that the {@link WebhookTargets} policy admits (no loopback, private, link-local,
 * metadata, ... address, in any spelling, unless the operator allow-listed it); a file target a
 * plain name.
 */
public final class EventDestinationService {
    public static final int MAX_PER_SET = 10;
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private final EventDestinationStore store;
    private final ConfigurationSetService sets;
    private final Transactions tx;
    private final WebhookTargets webhooks;

    public EventDestinationService(
            EventDestinationStore store, ConfigurationSetService sets, Transactions tx, WebhookTargets webhooks) {
        this.store = store;
        this.sets = sets;
        this.tx = tx;
        this.webhooks = webhooks;
    }

    public void create(EventDestination destination) {
        validate(destination);
        tx.run(() -> {
            sets.get(destination.accountId(), destination.configurationSet());
            if (store.get(destination.accountId(), destination.configurationSet(), destination.name())
                    .isPresent()) {
                throw PoolMtaException.alreadyExists("Event destination " + destination.name() + " already exists.");
            }
            if (store.ofSet(destination.accountId(), destination.configurationSet())
                            .size()
                    >= MAX_PER_SET) {
                throw PoolMtaException.limitExceeded(
                        "A configuration set can have at most " + MAX_PER_SET + " event destinations.");
            }
            store.insert(destination);
        });
    }

    public void update(EventDestination destination) {
        validate(destination);
        tx.run(() -> {
            sets.get(destination.accountId(), destination.configurationSet());
            store.get(destination.accountId(), destination.configurationSet(), destination.name())
                    .orElseThrow(() -> notFound(destination.name()));
            store.update(destination);
        });
    }

    public void delete(String accountId, String set, String name) {
        tx.run(() -> {
            sets.get(accountId, set);
            store.get(accountId, set, name).orElseThrow(() -> notFound(name));
            store.delete(accountId, set, name);
        });
    }

    public List<EventDestination> list(String accountId, String set) {
        sets.get(accountId, set);
        return store.ofSet(accountId, set);
    }

    /** The destinations an event of this set goes to (no existence check: the hot path). */
    public List<EventDestination> forSet(String accountId, String set) {
        return store.ofSet(accountId, set);
    }

    /** A webhook destination's current URL; empty once it is deleted or no longer a webhook. */
    public Optional<String> webhookUrl(DestinationKey key) {
        return store.get(key.accountId(), key.configurationSet(), key.name())
                .filter(d -> d.kind() == DestinationKind.WEBHOOK)
                .map(EventDestination::target);
    }

    private void validate(EventDestination d) {
        if (!NAME.matcher(d.name()).matches()) {
            throw PoolMtaException.badRequest(
                    "EventDestinationName must be 1-64 characters of letters, digits, '_' and '-'.");
        }
        if (d.matchingTypes().isEmpty()) {
            throw PoolMtaException.badRequest("MatchingEventTypes must name at least one event type.");
        }
        switch (d.kind()) {
            case WEBHOOK ->
                webhooks.refusal(d.target()).ifPresent(refused -> {
                    throw PoolMtaException.badRequest(
                            "Webhook URL '" + d.target() + "' is refused: " + refused.getMessage()
                                    + (refused.internal()
                                            ? ". PoolMTA does not send events to loopback, private, link-local,"
                                                    + " unique-local, multicast, unspecified or cloud metadata addresses, however spelled,"
                                                    + " unless the operator allow-lists them (webhookAllowList)."
                                            : "."));
                });
            case FILE -> {
                if (!NAME.matcher(d.target()).matches()) {
                    throw PoolMtaException.badRequest("A file destination is named file:NAME, NAME being 1-64 letters,"
                            + " digits, '_' or '-'; it is written to events/ACCOUNT/NAME.jsonl in the data directory.");
                }
            }
        }
    }

    private static PoolMtaException notFound(String name) {
        return PoolMtaException.notFound("Event destination " + name + " does not exist.");
    }
}
