package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.JsonInput;
import io.poolmta.http.QueryParams;
import io.poolmta.suppression.ImportJob;
import io.poolmta.suppression.SuppressionReason;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Suppression-list and import-job shapes the suppression operations share. */
final class SuppressionShapes {
    private SuppressionShapes() {}

    /** A SuppressionListReasons list of the body, as a set; empty when absent. */
    static Set<SuppressionReason> reasons(JsonInput body, String field) {
        List<SuppressionReason> list = body.optionalList(field, e -> SuppressionReason.parse(e.string(), e.path()))
                .orElse(List.of());
        return SuppressionReason.of(list);
    }

    /** The repeated {@code Reason} query parameter. */
    static Set<SuppressionReason> reasons(QueryParams query) {
        List<SuppressionReason> list = new ArrayList<>();
        for (String value : query.all("Reason")) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    list.add(SuppressionReason.parse(name.strip(), "Reason"));
                }
            }
        }
        return SuppressionReason.of(list);
    }

    /** A timestamp query parameter: ISO 8601 (what SDKs send) or epoch seconds. */
    static Optional<Instant> timestamp(QueryParams query, String name) {
        return query.first(name).filter(v -> !v.isEmpty()).map(v -> {
            try {
                if (v.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                    return Instant.ofEpochMilli(
                            new BigDecimal(v).movePointRight(3).longValueExact());
                }
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
                throw ApiException.badRequest(
                        name + " must be a timestamp (ISO 8601, e.g. 2024-01-31T00:00:00Z), got '" + v + "'.");
            }
        });
    }

    /** SES's timestamp shape: epoch seconds, with a fraction when there are milliseconds. */
    static void timestamp(ObjectNode out, String field, Instant t) {
        TemplateShapes.timestamp(out, field, t);
    }

    static void destination(ObjectNode out, ImportJob job) {
        out.putObject("ImportDestination")
                .putObject("SuppressionListDestination")
                .put("SuppressionListImportAction", job.action().name());
    }

    static ObjectNode summary(ObjectNode out, ImportJob job) {
        out.put("JobId", job.jobId());
        destination(out, job);
        out.put("JobStatus", job.status().name());
        timestamp(out, "CreatedTimestamp", job.createdAt());
        out.put("ProcessedRecordsCount", (int) Math.min(Integer.MAX_VALUE, job.processedRecords()));
        out.put("FailedRecordsCount", (int) Math.min(Integer.MAX_VALUE, job.failedRecords()));
        return out;
    }
}
