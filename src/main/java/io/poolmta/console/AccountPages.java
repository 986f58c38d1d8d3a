package io.poolmta.console;

import io.poolmta.account.Account;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.configset.NewConfigurationSet;
import io.poolmta.configset.ReputationOptions;
import io.poolmta.http.Router;
import io.poolmta.message.TlsPolicy;
import io.poolmta.pool.PoolNames;
import io.poolmta.pool.ScalingMode;
import io.poolmta.reputation.EnforcementStatus;
import io.poolmta.reputation.Scope;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An account's pages: Dedicated IPs, pools (list, detail, delete, switch to managed),
 * configuration sets (list, create, detail with General details; its event destinations are
 * {@link EventDestinationPages}) and the account (identities, suppression list and the advisor are
 * {@link SenderPages}). Every change is
 * one call of the service the SES API calls for the same operation; its refusal is shown as it is
 * worded there.
 */
final class AccountPages {
    private final ConsoleServices s;
    private final AccountReads reads;

    AccountPages(ConsoleServices services) {
        this.s = services;
        this.reads = new AccountReads(services);
    }

    void register(Router<Page> router) {
        router.add("GET", "/console/dedicated-ips", this::dedicatedIps)
                .add("GET", "/console/pools", this::pools)
                .add("GET", "/console/pools/{pool}", this::pool)
                .add("POST", "/console/pools/{pool}/delete", this::deletePool)
                .add("POST", "/console/pools/{pool}/scaling-mode", this::scalingMode)
                .add("GET", "/console/configuration-sets", this::sets)
                .add("POST", "/console/configuration-sets", this::createSet)
                .add("GET", "/console/configuration-sets/{set}", this::set)
                .add("POST", "/console/configuration-sets/{set}/general", this::saveGeneral)
                .add("GET", "/console/account", this::account);
        new EventDestinationPages(s, this::setPage).register(router);
        new SenderPages(s).register(router);
    }

    private ConsoleResponse dedicatedIps(Call call) {
        return ConsoleResponse.page(
                "dedicated-ips.jte", "Dedicated IPs", "dedicated-ips", reads.dedicatedIps(call.accountId()));
    }

    private ConsoleResponse pools(Call call) {
        String message = call.request()
                .query()
                .first("deleted")
                .map(p -> "Pool " + p + " was deleted.")
                .orElse("");
        List<Views.IpRow> rows = reads.ipRows(call.accountId(), Optional.empty());
        return ConsoleResponse.page(
                "pools.jte",
                "Dedicated IP pools",
                "pools",
                new Views.Pools(reads.poolSummaries(call.accountId(), rows), message));
    }

    private ConsoleResponse pool(Call call) {
        String message = call.request().query().first("created").isPresent()
                ? "Pool " + call.label("pool") + " was created."
                : call.request().query().first("saved").isPresent() ? "Saved." : "";
        return poolPage(call, message, "", 200);
    }

    private ConsoleResponse poolPage(Call call, String message, String error, int status) {
        String name = call.label("pool");
        List<Views.IpRow> rows = reads.ipRows(call.accountId(), Optional.of(name));
        Views.PoolSummary summary = reads.summary(call.accountId(), s.pools().get(call.accountId(), name), rows.size());
        return ConsoleResponse.status(
                status, "pool.jte", "Pool " + name, "pools", new Views.PoolDetail(summary, rows, message, error));
    }

    private ConsoleResponse deletePool(Call call) {
        String name = call.label("pool");
        try {
            s.pools().delete(call.accountId(), name);
        } catch (PoolMtaException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw e;
            }
            return poolPage(call, "", e.getMessage(), 400);
        }
        return ConsoleResponse.redirect("/console/pools?deleted=" + encode(name));
    }

    private ConsoleResponse scalingMode(Call call) {
        String name = call.label("pool");
        try {
            s.pools()
                    .setScalingMode(
                            call.accountId(),
                            name,
                            ScalingMode.valueOf(call.form().get("scaling-mode")));
        } catch (IllegalArgumentException e) {
            return poolPage(call, "", "Scaling mode must be STANDARD or MANAGED.", 400);
        } catch (PoolMtaException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw e;
            }
            return poolPage(call, "", e.getMessage(), 400);
        }
        return ConsoleResponse.redirect("/console/pools/" + name + "?saved=1");
    }

    private ConsoleResponse sets(Call call) {
        return setsPage(call, "", Views.Errors.NONE, 200);
    }

    private ConsoleResponse setsPage(Call call, String name, Views.Errors errors, int status) {
        return ConsoleResponse.status(
                status,
                "configuration-sets.jte",
                "Configuration sets",
                "configuration-sets",
                new Views.ConfigurationSets(reads.sets(call.accountId()), name, errors));
    }

    private ConsoleResponse createSet(Call call) {
        String name = call.form().get("name").strip();
        try {
            s.sets()
                    .create(
                            call.accountId(),
                            new NewConfigurationSet(
                                    name,
                                    DeliveryOptions.DEFAULT,
                                    true,
                                    ReputationOptions.DEFAULT,
                                    Map.of(),
                                    List.of()));
        } catch (PoolMtaException e) {
            return setsPage(call, name, Views.Errors.of("name", e.getMessage()), 400);
        }
        return ConsoleResponse.redirect("/console/configuration-sets/" + encode(name) + "?created=1");
    }

    private ConsoleResponse set(Call call) {
        String message = call.request().query().first("created").isPresent()
                ? "Configuration set " + call.label("set") + " was created."
                : call.request().query().first("saved").isPresent() ? "Saved." : EventDestinationPages.notice(call);
        return setPage(call, message, Views.Errors.NONE, 200, Optional.empty());
    }

    private ConsoleResponse setPage(
            Call call, String message, Views.Errors errors, int status, Optional<Form> submitted) {
        return setPage(call, message, errors, status, submitted, Views.NewDestination.EMPTY);
    }

    /** The configuration set's page: General details and its event destinations. */
    ConsoleResponse setPage(
            Call call,
            String message,
            Views.Errors errors,
            int status,
            Optional<Form> submitted,
            Views.NewDestination newDestination) {
        String name = call.label("set");
        ConfigurationSet set = s.sets().get(call.accountId(), name);
        List<String> choices = new ArrayList<>(reads.poolNames(call.accountId()));
        choices.add(PoolNames.DEFAULT_POOL);
        choices.add(PoolNames.SHARED_POOL);
        DeliveryOptions options = set.deliveryOptions();
        Views.ConfigurationSetDetail view = new Views.ConfigurationSetDetail(
                name,
                submitted.map(f -> f.get("sending-pool")).orElse(AccountReads.sendingPool(set)),
                choices,
                submitted
                        .map(f -> f.get("tls-policy"))
                        .orElse(options.tlsPolicy().name()),
                submitted
                        .map(f -> f.get("max-delivery-seconds"))
                        .orElse(options.maxDeliverySeconds()
                                .map(String::valueOf)
                                .orElse("")),
                submitted.map(f -> f.get("sending-enabled").equals("true")).orElse(set.sendingEnabled()),
                s.destinations().list(call.accountId(), name).stream()
                        .map(EventDestinationPages::row)
                        .toList(),
                newDestination,
                EventDestinationPages.EVENT_TYPES,
                message,
                errors);
        return ConsoleResponse.status(
                status, "configuration-set.jte", "Configuration set " + name, "configuration-sets", view);
    }

    /** General details: PutConfigurationSetDeliveryOptions, then PutConfigurationSetSendingOptions. */
    private ConsoleResponse saveGeneral(Call call) {
        String name = call.label("set");
        Form form = call.form();
        s.sets().get(call.accountId(), name); // NotFound before anything else
        DeliveryOptions options;
        try {
            String seconds = form.get("max-delivery-seconds").strip();
            options = new DeliveryOptions(
                    TlsPolicy.valueOf(form.get("tls-policy")),
                    Optional.of(form.get("sending-pool")).filter(p -> !p.isEmpty()),
                    seconds.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(seconds)));
        } catch (NumberFormatException e) {
            return setPage(
                    call,
                    "",
                    Views.Errors.of("max-delivery-seconds", "MaxDeliverySeconds must be a whole number of seconds."),
                    400,
                    Optional.of(form));
        } catch (IllegalArgumentException e) {
            return setPage(
                    call,
                    "",
                    Views.Errors.of("form", "TLS policy must be REQUIRE or OPTIONAL."),
                    400,
                    Optional.of(form));
        } catch (PoolMtaException e) {
            return setPage(call, "", Views.Errors.of("max-delivery-seconds", e.getMessage()), 400, Optional.of(form));
        }
        try {
            s.tx().run(() -> {
                s.sets().putDeliveryOptions(call.accountId(), name, options);
                s.sets()
                        .putSendingEnabled(
                                call.accountId(),
                                name,
                                form.get("sending-enabled").equals("true"));
            });
        } catch (PoolMtaException e) {
            return setPage(call, "", Views.Errors.of("sending-pool", e.getMessage()), 400, Optional.of(form));
        }
        return ConsoleResponse.redirect("/console/configuration-sets/" + encode(name) + "?saved=1");
    }

    private ConsoleResponse account(Call call) {
        Account account = s.accounts().get(call.accountId());
        // EnforcementStatus, ProductionAccessEnabled and SendingEnabled: the values GetAccount reports
        EnforcementStatus enforcement = s.enforcement().status(Scope.account(account.id()));
        return ConsoleResponse.page(
                "account.jte",
                "Account",
                "account",
                new Views.AccountView(
                        account.id(),
                        account.name(),
                        account.sendQuota().max24HourSend(),
                        account.sendQuota().maxSendRate(),
                        s.sentLast24Hours().applyAsLong(account.id()),
                        account.canSend() && enforcement != EnforcementStatus.SHUTDOWN,
                        account.dedicatedIpAutoWarmupEnabled(),
                        enforcement.name(),
                        account.productionAccessEnabled()));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
