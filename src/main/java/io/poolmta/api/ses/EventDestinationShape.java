package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.events.DestinationKind;
import io.poolmta.events.EventDestination;
import io.poolmta.events.EventType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * SES's EventDestinationDefinition, mapped onto the destinations PoolMTA runs itself:
 * <ul>
 *   <li>webhook: {@code SnsDestination.TopicArn} holding an http(s) URL (like an SNS HTTP
 *       subscription): each event is POSTed there as JSON;</li>
 *   <li>file: {@code KinesisFirehoseDestination.DeliveryStreamArn} = {@code file:NAME} (like a
 *       Firehose stream to files): events are appended to events/ACCOUNT/NAME.jsonl in the data
 *       directory.</li>
 * </ul>
 * Other destination kinds are refused with a BadRequest that says what is supported.
 */
final class EventDestinationShape {
    static final String SUPPORTED = "PoolMTA supports two destinations: a webhook (SnsDestination.TopicArn set to an"
            + " http:// or https:// URL) and a JSON-lines file (KinesisFirehoseDestination.DeliveryStreamArn set to"
            + " file:NAME).";

    private EventDestinationShape() {}

    static EventDestination parse(String accountId, String set, String name, JsonInput definition) {
        boolean enabled = definition.optionalBoolean("Enabled").orElse(false);
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        definition
                .optionalList("MatchingEventTypes", e -> {
                    String value = e.string();
                    try {
                        return EventType.valueOf(value);
                    } catch (IllegalArgumentException bad) {
                        throw ApiException.badRequest(
                                "Field '" + e.path() + "' must be an event type such as SEND, DELIVERY,"
                                        + " BOUNCE, DELIVERY_DELAY, REJECT; got '" + value + "'.");
                    }
                })
                .orElse(List.of())
                .forEach(types::add);
        for (String unsupported : List.of("CloudWatchDestination", "EventBridgeDestination", "PinpointDestination")) {
            if (definition.has(unsupported)) {
                throw ApiException.badRequest(unsupported + " is not available in PoolMTA. " + SUPPORTED);
            }
        }
        var sns = definition.optionalObject("SnsDestination");
        var firehose = definition.optionalObject("KinesisFirehoseDestination");
        if (sns.isPresent() == firehose.isPresent()) {
            throw ApiException.badRequest("Give exactly one destination. " + SUPPORTED);
        }
        if (sns.isPresent()) {
            String url = sns.get().requiredString("TopicArn");
            if (!url.regionMatches(true, 0, "http://", 0, 7) && !url.regionMatches(true, 0, "https://", 0, 8)) {
                throw ApiException.badRequest("SnsDestination.TopicArn must be an http:// or https:// URL; PoolMTA does"
                        + " not publish to SNS topics. " + SUPPORTED);
            }
            return new EventDestination(accountId, set, name, enabled, types, DestinationKind.WEBHOOK, url);
        }
        String stream = firehose.get().requiredString("DeliveryStreamArn");
        if (!stream.startsWith("file:")) {
            throw ApiException.badRequest(
                    "KinesisFirehoseDestination.DeliveryStreamArn must be file:NAME. " + SUPPORTED);
        }
        return new EventDestination(accountId, set, name, enabled, types, DestinationKind.FILE, stream.substring(5));
    }

    static ObjectNode render(EventDestination d) {
        ObjectNode out = Json.object();
        out.put("Name", d.name());
        out.put("Enabled", d.enabled());
        ArrayNode types = out.putArray("MatchingEventTypes");
        d.matchingTypes().stream().sorted().forEach(t -> types.add(t.name()));
        switch (d.kind()) {
            case WEBHOOK -> out.putObject("SnsDestination").put("TopicArn", d.target());
            case FILE ->
                out.putObject("KinesisFirehoseDestination")
                        .put("DeliveryStreamArn", "file:" + d.target())
                        .put("IamRoleArn", "arn:aws:iam::" + d.accountId() + ":role/poolmta-file-destination");
        }
        return out;
    }
}
