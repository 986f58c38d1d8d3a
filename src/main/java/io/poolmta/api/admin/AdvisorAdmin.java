package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.advisor.AccountAdvice;
import io.poolmta.advisor.AdvisorReport;
import io.poolmta.advisor.AdvisorService;
import io.poolmta.advisor.AdvisorSettings;
import io.poolmta.advisor.IpProviderAdvice;
import io.poolmta.advisor.SetAdvice;
import io.poolmta.api.Json;
import io.poolmta.common.PoolMtaException;
import io.poolmta.http.QueryParams;
import java.time.LocalDate;
import java.util.Optional;

/**
 * GET /advisor[?Account=NAME]: the shared-or-dedicated advisor's report, every account or one.
 * Thresholds may be set per request: Days, DailyThreshold, MinDailyVolume, MaxVariation,
 * MinSetVolume (defaults: {@link AdvisorSettings#DEFAULT}).
 */
public final class AdvisorAdmin {
    private final AdvisorService advisor;

    public AdvisorAdmin(AdvisorService advisor) {
        this.advisor = advisor;
    }

    public void register(AdminApi api) {
        api.add(
                "GET",
                "/advisor",
                (labels, query, body) -> render(advisor.report(query.first("Account"), settings(query))));
    }

    private static AdvisorSettings settings(QueryParams query) {
        AdvisorSettings s = AdvisorSettings.DEFAULT;
        try {
            s = s.withDays(query.integer("Days").orElse(s.days()))
                    .withDailyThreshold(query.integer("DailyThreshold").orElse((int) s.dailyThreshold()))
                    .withMinDailyVolume(query.integer("MinDailyVolume").orElse((int) s.minDailyVolume()))
                    .withMinSetVolume(query.integer("MinSetVolume").orElse((int) s.minSetVolume()));
            Optional<String> variation = query.first("MaxVariation");
            if (variation.isPresent()) {
                s = s.withMaxVariation(Double.parseDouble(variation.get().trim()));
            }
        } catch (IllegalArgumentException e) {
            throw PoolMtaException.badRequest("Invalid advisor threshold: " + e.getMessage() + ".");
        }
        return s;
    }

    private static ObjectNode render(AdvisorReport report) {
        ObjectNode out = Json.object();
        AdvisorSettings s = report.settings();
        out.put("FirstDay", LocalDate.ofEpochDay(report.firstDay()).toString())
                .put("LastDay", LocalDate.ofEpochDay(report.lastDay()).toString());
        out.putObject("Thresholds")
                .put("Days", s.days())
                .put("DailyThreshold", s.dailyThreshold())
                .put("MinDailyVolume", s.minDailyVolume())
                .put("MaxVariation", s.maxVariation())
                .put("BounceRate", s.bounceRateFlag())
                .put("ComplaintRate", s.complaintRateFlag())
                .put("MinSetVolume", s.minSetVolume());
        ArrayNode accounts = out.putArray("Accounts");
        for (AccountAdvice a : report.accounts()) {
            ObjectNode row = accounts.addObject();
            row.put("Account", a.name()).put("AccountId", a.accountId());
            row.put("Recommendation", a.recommendation().name());
            ArrayNode reasons = row.putArray("Reasons");
            a.reasons().forEach(reasons::add);
            row.putObject("Volume")
                    .put("Total", a.stats().total())
                    .put("MeanPerDay", round(a.stats().mean()))
                    .put("StdDevPerDay", round(a.stats().stdDev()))
                    .put("CoefficientOfVariation", round(a.stats().variation()))
                    .put("MaxPerDay", a.stats().max())
                    .put("ActiveDays", a.stats().activeDays());
            ArrayNode daily = row.putArray("DailyVolumes");
            for (int i = 0; i < a.daily().size(); i++) {
                daily.addObject()
                        .put("Date", LocalDate.ofEpochDay(report.firstDay() + i).toString())
                        .put("Sent", a.daily().get(i));
            }
            row.put("DedicatedIps", a.dedicatedIps());
            a.ipPlan()
                    .ifPresent(p -> row.putObject("IpPlan")
                            .put("Suggested", p.needed())
                            .put("KeptWarmAtMost", p.keptWarm())
                            .put("FinalDailyCap", p.finalDailyCap())
                            .put("WarmupDaysToCarryMeanDay", p.warmupDays()));
            ArrayNode sets = row.putArray("ConfigurationSets");
            for (SetAdvice set : a.sets()) {
                ObjectNode r = sets.addObject()
                        .put("Name", set.name())
                        .put("Pool", set.pool())
                        .put("Sent", set.sent())
                        .put("Bounced", set.bounced())
                        .put("Complained", set.complained())
                        .put("BounceRate", round(set.bounceRate()))
                        .put("ComplaintRate", round(set.complaintRate()))
                        .put("Isolate", set.isolate());
                if (set.isolate()) {
                    r.put("Reason", set.reason());
                }
            }
            ArrayNode ips = row.putArray("IpProviders");
            for (IpProviderAdvice ip : a.ipProviders()) {
                ObjectNode r = ips.addObject()
                        .put("Ip", ip.ip())
                        .put("Pool", ip.pool())
                        .put("Provider", ip.provider())
                        .put("Status", ip.cooling() ? "COOLING" : "ACTIVE")
                        .put("Total", ip.total())
                        .put("MaxPerDay", ip.maxInADay())
                        .put("DaysAtThreshold", ip.daysAtThreshold());
                ip.lastDayAtThreshold()
                        .ifPresent(d -> r.put(
                                "LastDayAtThreshold", LocalDate.ofEpochDay(d).toString()));
                r.put("Reason", ip.reason());
            }
        }
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
