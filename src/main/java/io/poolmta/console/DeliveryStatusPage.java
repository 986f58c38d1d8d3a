package io.poolmta.console;

import io.poolmta.account.Account;
import io.poolmta.delivery.AdaptiveThrottle;
import io.poolmta.reputation.EnforcementStatus;
import io.poolmta.reputation.Scope;
import io.poolmta.reputation.Standing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's Delivery status page: what {@code poolmta status} prints, read from the same
 * objects as the admin API's GET /delivery, /events/webhooks and /reputation — the engine's
 * counters and the spool's pending messages, the webhook queue, the adaptive throttle of every
 * (source IP, mailbox provider), and every account, shared-pool use or configuration set that
 * reputation enforcement has under review or paused.
 */
final class DeliveryStatusPage {
    private final ConsoleServices s;

    DeliveryStatusPage(ConsoleServices services) {
        this.s = services;
    }

    ConsoleResponse render(Call call) {
        List<Views.ThrottleRow> throttles = new ArrayList<>();
        for (AdaptiveThrottle.Snapshot t : s.delivery().throttles()) {
            throttles.add(new Views.ThrottleRow(
                    t.sourceIp(),
                    t.provider(),
                    t.site(),
                    t.connectionLimit(),
                    t.maxConnections(),
                    t.throttles(),
                    t.delivered(),
                    t.pausedUntil().map(Object::toString).orElse("")));
        }
        return ConsoleResponse.page(
                "operator-status.jte",
                "Delivery status",
                "status",
                new Views.DeliveryStatus(
                        s.delivery().delivered(),
                        s.delivery().bounced(),
                        s.delivery().deferred(),
                        s.delivery().queued(),
                        s.spoolPending().getAsLong(),
                        s.webhooks().pending(),
                        s.webhooks().deadLettered(),
                        throttles,
                        enforcement()));
    }

    /** One line per standing that is not HEALTHY, worded as {@code poolmta status} words it. */
    private List<Views.EnforcementRow> enforcement() {
        Map<String, String> names = new HashMap<>();
        for (Account a : s.accounts().all()) {
            names.put(a.id(), a.name());
        }
        List<Views.EnforcementRow> rows = new ArrayList<>();
        for (Standing st : s.enforcement().notHealthy()) {
            String account =
                    names.getOrDefault(st.scope().accountId(), st.scope().accountId());
            String what = switch (st.scope().kind()) {
                case ACCOUNT -> "account " + account;
                case SHARED_POOL -> "account " + account + " on ses-shared-pool";
                case CONFIGURATION_SET ->
                    "account " + account + " configuration set " + st.scope().name();
            };
            boolean shared = st.scope().kind() == Scope.Kind.SHARED_POOL;
            String action = st.status() == EnforcementStatus.SHUTDOWN
                    ? (shared ? "refused on the shared pool" : "sending paused") + "; poolmta account reinstate"
                    : shared ? "slowed on the shared pool" : "under review";
            rows.add(new Views.EnforcementRow(what, st.status().name(), action, st.reason()));
        }
        return rows;
    }
}
