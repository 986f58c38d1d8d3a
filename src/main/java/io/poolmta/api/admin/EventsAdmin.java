package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.AccountService;
import io.poolmta.api.Json;
import io.poolmta.events.DestinationKey;
import io.poolmta.events.WebhookSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * GET /events/webhooks: webhook events pending and dead-lettered, in all and per destination.
 * POST /events/webhooks/dead-letter/replay: queues dead-lettered events again; the body may
 * narrow it to an {@code Account} (name), a {@code ConfigurationSet} and a {@code Destination}.
 */
public final class EventsAdmin {
    private final WebhookSender webhooks;
    private final AccountService accounts;

    public EventsAdmin(WebhookSender webhooks, AccountService accounts) {
        this.webhooks = webhooks;
        this.accounts = accounts;
    }

    public void register(AdminApi api) {
        api.add("GET", "/events/webhooks", (labels, query, body) -> {
            ObjectNode out = Json.object();
            out.put("Pending", webhooks.pending())
                    .put("DeadLettered", webhooks.deadLettered())
                    .put("NotQueued", webhooks.lost());
            ArrayNode rows = out.putArray("Destinations");
            for (WebhookSender.Status s : webhooks.status()) {
                ObjectNode row = rows.addObject()
                        .put("AccountId", s.destination().accountId())
                        .put("ConfigurationSet", s.destination().configurationSet())
                        .put("Destination", s.destination().name())
                        .put("Pending", s.pending())
                        .put("DeadLettered", s.deadLettered());
                s.lastError().ifPresent(e -> row.put("LastError", e));
            }
            return out;
        });
        api.add("POST", "/events/webhooks/dead-letter/replay", (labels, query, body) -> {
            Optional<String> accountId = body.optionalString("Account")
                    .map(name -> accounts.byName(name).id());
            Optional<String> set = body.optionalString("ConfigurationSet");
            Optional<String> destination = body.optionalString("Destination");
            Predicate<DestinationKey> which =
                    k -> accountId.map(k.accountId()::equals).orElse(true)
                            && set.map(k.configurationSet()::equals).orElse(true)
                            && destination.map(k.name()::equals).orElse(true);
            try {
                return Json.object().put("Replayed", webhooks.replayDeadLetters(which));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
