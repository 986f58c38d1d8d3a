package io.poolmta.console;

import io.poolmta.account.Account;
import io.poolmta.advisor.AccountAdvice;
import io.poolmta.advisor.AdvisorReport;
import io.poolmta.advisor.AdvisorSettings;
import io.poolmta.common.PageRequest;
import io.poolmta.http.Router;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.suppression.SuppressionReason;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An account's read-only pages about its sending: its identities (as ListEmailIdentities and
 * GetEmailIdentity report them), its suppression list (the first page, as ListSuppressedDestinations
 * reports it) and the shared-or-dedicated advisor's recommendation for it (the operator's
 * {@code GET /advisor} for this account). Read through the same services, for the signed-in account
 * only.
 */
final class SenderPages {
    static final int SUPPRESSION_PAGE = 200;

    private final ConsoleServices s;

    SenderPages(ConsoleServices services) {
        this.s = services;
    }

    void register(Router<Page> router) {
        router.add("GET", "/console/identities", this::identities)
                .add("GET", "/console/suppression", this::suppression)
                .add("GET", "/console/advisor", this::advisor);
    }

    private ConsoleResponse identities(Call call) {
        List<Views.IdentityRow> rows = s.identities().all(call.accountId()).stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .map(SenderPages::row)
                .toList();
        return ConsoleResponse.page("identities.jte", "Identities", "identities", new Views.Identities(rows));
    }

    private static Views.IdentityRow row(EmailIdentity i) {
        String dkim = i.dkim().signingEnabled() ? i.dkim().status().name() : "signing disabled";
        return new Views.IdentityRow(
                i.name(),
                i.type().name(),
                i.verifiedForSending(),
                dkim,
                i.configurationSetName().orElse(""));
    }

    private ConsoleResponse suppression(Call call) {
        var first = s.suppression()
                .list(
                        call.accountId(),
                        Set.of(),
                        Optional.empty(),
                        Optional.empty(),
                        PageRequest.first(SUPPRESSION_PAGE));
        List<Views.SuppressionRow> rows = first.items().stream()
                .map(d -> new Views.SuppressionRow(
                        d.emailAddress(), d.reason().name(), d.lastUpdateTime().toString()))
                .toList();
        List<String> reasons = s.suppression().accountReasons(call.accountId()).stream()
                .sorted()
                .map(SuppressionReason::name)
                .toList();
        return ConsoleResponse.page(
                "suppression.jte",
                "Suppression list",
                "suppression",
                new Views.Suppression(
                        rows,
                        s.suppression().size(call.accountId()),
                        reasons,
                        first.nextToken().isPresent()));
    }

    private ConsoleResponse advisor(Call call) {
        Account account = s.accounts().get(call.accountId());
        AdvisorReport report = s.advisor().report(Optional.of(account.name()), AdvisorSettings.DEFAULT);
        AccountAdvice a = report.accounts().getFirst();
        String plan = a.ipPlan()
                .map(p -> p.needed() + " dedicated IP(s), warmed up over " + p.warmupDays() + " days (final daily cap "
                        + p.finalDailyCap() + ")")
                .orElse("");
        return ConsoleResponse.page(
                "advisor.jte",
                "Advisor",
                "advisor",
                new Views.Advice(
                        words(a.recommendation().name()),
                        a.reasons(),
                        LocalDate.ofEpochDay(report.firstDay()).toString(),
                        LocalDate.ofEpochDay(report.lastDay()).toString(),
                        a.stats().total(),
                        String.format(Locale.ROOT, "%.1f", a.stats().mean()),
                        a.stats().max(),
                        a.stats().activeDays(),
                        a.dedicatedIps(),
                        plan));
    }

    private static String words(String constant) {
        return switch (constant) {
            case "NO_TRAFFIC" -> "No traffic in the window: nothing to judge";
            case "SHARED_POOL" -> "Send from the shared pool";
            case "DEDICATED" -> "Dedicated IPs";
            default -> constant;
        };
    }
}
