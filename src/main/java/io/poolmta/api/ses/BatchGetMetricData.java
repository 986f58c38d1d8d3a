package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.message.Mailbox;
import io.poolmta.reputation.CounterFilter;
import io.poolmta.reputation.Counts;
import io.poolmta.reputation.Granularity;
import io.poolmta.reputation.Metric;
import io.poolmta.reputation.ReputationCounters;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * POST /v2/email/metrics/batch (BatchGetMetricData, namespace VDM): per query, one value per UTC
 * day from StartDate's day to EndDate's day, of the caller's own mail, from the reputation
 * counters. SEND, DELIVERY, PERMANENT_BOUNCE, TRANSIENT_BOUNCE and COMPLAINT (DELIVERY_COMPLAINT
 * too: complaints only come for delivered mail) are counted per recipient; OPEN, CLICK,
 * DELIVERY_OPEN and DELIVERY_CLICK are always 0, since PoolMTA does not track opens and clicks.
 * Dimensions: EMAIL_IDENTITY (the From domain; an email-address identity is answered for its
 * domain), CONFIGURATION_SET, ISP (the mailbox provider's name). A malformed query fails the whole
 * request (BadRequestException); a query that fails while it is answered gets an Errors entry
 * (INTERNAL_FAILURE) and the others are still answered.
 */
public final class BatchGetMetricData implements SesOperation {
    static final int MAX_QUERIES = 10;
    static final Duration MAX_RANGE = Duration.ofDays(400);

    enum VdmMetric {
        SEND,
        COMPLAINT,
        PERMANENT_BOUNCE,
        TRANSIENT_BOUNCE,
        OPEN,
        CLICK,
        DELIVERY,
        DELIVERY_OPEN,
        DELIVERY_CLICK,
        DELIVERY_COMPLAINT;

        Optional<Metric> counted() {
            return switch (this) {
                case SEND -> Optional.of(Metric.SENT);
                case DELIVERY -> Optional.of(Metric.DELIVERED);
                case PERMANENT_BOUNCE -> Optional.of(Metric.BOUNCED_PERMANENT);
                case TRANSIENT_BOUNCE -> Optional.of(Metric.BOUNCED_TRANSIENT);
                case COMPLAINT, DELIVERY_COMPLAINT -> Optional.of(Metric.COMPLAINED);
                case OPEN, CLICK, DELIVERY_OPEN, DELIVERY_CLICK -> Optional.empty();
            };
        }
    }

    enum Dimension {
        EMAIL_IDENTITY,
        CONFIGURATION_SET,
        ISP
    }

    enum Namespace {
        VDM
    }

    private record Query(String id, VdmMetric metric, CounterFilter filter, Instant start, Instant end) {}

    private final ReputationCounters counters;

    public BatchGetMetricData(ReputationCounters counters) {
        this.counters = counters;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        List<Query> queries = call.body()
                .optionalList("Queries", e -> parse(e.object(), call.accountId()))
                .orElseThrow(() -> ApiException.badRequest("Queries is required."));
        if (queries.isEmpty() || queries.size() > MAX_QUERIES) {
            throw ApiException.badRequest("Queries must hold 1 to " + MAX_QUERIES + " queries.");
        }
        ObjectNode out = Json.object();
        ArrayNode results = out.putArray("Results");
        ArrayNode errors = out.putArray("Errors");
        for (Query q : queries) {
            try {
                ObjectNode result = Json.object();
                result.put("Id", q.id());
                ArrayNode timestamps = result.putArray("Timestamps");
                ArrayNode values = result.putArray("Values");
                SortedMap<Instant, Counts> series = q.metric().counted().isPresent()
                        ? counters.series(q.filter(), Granularity.DAY, q.start(), q.end())
                        : Collections.emptySortedMap();
                for (Instant day = q.start(); day.isBefore(q.end()); day = day.plus(Duration.ofDays(1))) {
                    timestamps.add(BigDecimal.valueOf(day.getEpochSecond()));
                    Counts c = series.getOrDefault(day, Counts.ZERO);
                    values.add(q.metric().counted().map(c::get).orElse(0L));
                }
                results.add(result);
            } catch (RuntimeException e) {
                errors.addObject()
                        .put("Id", q.id())
                        .put("Code", "INTERNAL_FAILURE")
                        .put("Message", "The query could not be answered: " + e.getMessage());
            }
        }
        return out;
    }

    private static Query parse(JsonInput q, String accountId) {
        String id = q.requiredString("Id");
        if (id.isEmpty() || id.length() > 255) {
            throw ApiException.badRequest("A query's Id must be 1 to 255 characters.");
        }
        q.optionalEnum("Namespace", Namespace.class)
                .orElseThrow(() -> ApiException.badRequest("Query " + id + ": Namespace is required (VDM)."));
        VdmMetric metric = q.optionalEnum("Metric", VdmMetric.class)
                .orElseThrow(() -> ApiException.badRequest("Query " + id + ": Metric is required."));
        Instant start = q.optionalEpochSeconds("StartDate")
                .orElseThrow(() -> ApiException.badRequest("Query " + id + ": StartDate is required."));
        Instant end = q.optionalEpochSeconds("EndDate")
                .orElseThrow(() -> ApiException.badRequest("Query " + id + ": EndDate is required."));
        if (end.isBefore(start)) {
            throw ApiException.badRequest("Query " + id + ": EndDate is before StartDate.");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ApiException.badRequest(
                    "Query " + id + ": StartDate and EndDate are more than " + MAX_RANGE.toDays() + " days apart.");
        }
        CounterFilter filter = CounterFilter.account(accountId);
        Optional<JsonInput> dimensions = q.optionalObject("Dimensions");
        if (dimensions.isPresent()) {
            ObjectNode node = dimensions.get().node();
            if (node.isEmpty() || node.size() > 3) {
                throw ApiException.badRequest("Query " + id + ": Dimensions must hold 1 to 3 entries.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                Dimension dimension = dimension(id, entry.getKey());
                if (!entry.getValue().isTextual()
                        || entry.getValue().textValue().isEmpty()) {
                    throw ApiException.badRequest(
                            "Query " + id + ": the " + entry.getKey() + " dimension needs a value.");
                }
                String value = entry.getValue().textValue();
                filter = switch (dimension) {
                    case EMAIL_IDENTITY ->
                        filter.withIdentity(
                                Mailbox.domainOf(value).orElse(value).toLowerCase(Locale.ROOT));
                    case CONFIGURATION_SET -> filter.withConfigurationSet(value);
                    case ISP -> filter.withProvider(value);
                };
            }
        }
        Instant from = Granularity.DAY.start(start);
        Instant to = Granularity.DAY.start(end).plus(Duration.ofDays(1));
        return new Query(id, metric, filter, from, to);
    }

    private static Dimension dimension(String id, String name) {
        for (Dimension d : Dimension.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            allowed.add(d.name());
        }
        throw ApiException.badRequest("Query " + id + ": dimension must be one of " + String.join(", ", allowed)
                + ", got '" + (name.length() > 64 ? name.substring(0, 64) : name) + "'.");
    }
}
