package io.poolmta.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.feedback.SentMessage;
import io.poolmta.feedback.SentMessageStore;
import io.poolmta.message.MailHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sent-message ledger in SQL: one row per message (tags and header summary as JSON) and one
 * per delivered recipient with the IP it left from. A batch is one transaction.
 */
public final class JdbcSentMessageStore implements SentMessageStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbc jdbc;
    private final String upsertMessage;
    private final String upsertRecipient;

    public JdbcSentMessageStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.upsertMessage = jdbc.dialect()
                .upsert(
                        "sent_messages",
                        List.of("message_id"),
                        List.of(
                                "message_id",
                                "account_id",
                                "configuration_set",
                                "pool_name",
                                "mail_from",
                                "accepted_at_ms",
                                "source_ip",
                                "tags_json",
                                "headers_json",
                                "recorded_at_ms"));
        this.upsertRecipient = jdbc.dialect()
                .upsert(
                        "sent_recipients",
                        List.of("message_id", "recipient"),
                        List.of("message_id", "recipient", "sending_ip", "position", "recorded_at_ms"));
    }

    @Override
    public void saveAll(Collection<SentMessage> entries) {
        List<Object[]> messages = new ArrayList<>(entries.size());
        List<Object[]> recipients = new ArrayList<>(entries.size());
        for (SentMessage m : entries) {
            long recordedAt = m.recordedAt().toEpochMilli();
            messages.add(new Object[] {
                m.messageId(),
                m.accountId(),
                m.configurationSet().orElse(null),
                m.poolName(),
                m.mailFrom(),
                m.acceptedAt().toEpochMilli(),
                m.sourceIp(),
                json(m.tags()),
                json(headers(m.headers())),
                recordedAt
            });
            int position = 0;
            for (Map.Entry<String, String> r : m.recipientIps().entrySet()) {
                recipients.add(new Object[] {m.messageId(), r.getKey(), r.getValue(), position++, recordedAt});
            }
        }
        jdbc.writeOwnRows(() -> {
            jdbc.updateBatch(upsertMessage, messages);
            jdbc.updateBatch(upsertRecipient, recipients);
            return null;
        });
    }

    @Override
    public Optional<SentMessage> find(String messageId) {
        Map<String, String> ips = new LinkedHashMap<>();
        jdbc.query(
                        "SELECT recipient, sending_ip FROM sent_recipients WHERE message_id = ?"
                                + " ORDER BY recorded_at_ms, position",
                        rs -> Map.entry(rs.getString(1), rs.getString(2)),
                        messageId)
                .forEach(e -> ips.put(e.getKey(), e.getValue()));
        return jdbc.queryOne(
                "SELECT account_id, configuration_set, pool_name, mail_from, accepted_at_ms, source_ip, tags_json,"
                        + " headers_json, recorded_at_ms FROM sent_messages WHERE message_id = ?",
                rs -> new SentMessage(
                        messageId,
                        rs.getString(1),
                        Optional.ofNullable(rs.getString(2)),
                        rs.getString(3),
                        rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5)),
                        tags(rs.getString(7)),
                        rs.getString(6),
                        headers(rs.getString(8)),
                        ips,
                        Instant.ofEpochMilli(rs.getLong(9))),
                messageId);
    }

    @Override
    public int deleteRecordedBefore(Instant cutoff) {
        return jdbc.writeOwnRows(() -> {
            long ms = cutoff.toEpochMilli();
            jdbc.update(
                    "DELETE FROM sent_recipients WHERE message_id IN"
                            + " (SELECT message_id FROM sent_messages WHERE recorded_at_ms < ?)",
                    ms);
            return jdbc.update("DELETE FROM sent_messages WHERE recorded_at_ms < ?", ms);
        });
    }

    @Override
    public long count() {
        return jdbc.queryOne("SELECT COUNT(*) FROM sent_messages", rs -> rs.getLong(1))
                .orElse(0L);
    }

    private static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write JSON", e);
        }
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot read stored JSON", e);
        }
    }

    private static Map<String, List<String>> tags(String text) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        read(text).properties().forEach(e -> tags.put(e.getKey(), strings(e.getValue())));
        return tags;
    }

    private static ObjectNode headers(MailHeaders headers) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode fields = o.putArray("fields");
        headers.fields().forEach(f -> fields.addArray().add(f.name()).add(f.value()));
        o.put("truncated", headers.truncated());
        MailHeaders.Common c = headers.common();
        ObjectNode common = o.putObject("common");
        common.set("from", JSON.valueToTree(c.from()));
        common.set("replyTo", JSON.valueToTree(c.replyTo()));
        common.set("to", JSON.valueToTree(c.to()));
        common.set("cc", JSON.valueToTree(c.cc()));
        c.subject().ifPresent(v -> common.put("subject", v));
        c.date().ifPresent(v -> common.put("date", v));
        c.messageId().ifPresent(v -> common.put("messageId", v));
        c.fromDomain().ifPresent(v -> common.put("fromDomain", v));
        return o;
    }

    private static MailHeaders headers(String text) {
        JsonNode o = read(text);
        List<MailHeaders.Field> fields = new ArrayList<>();
        for (JsonNode f : o.path("fields")) {
            fields.add(new MailHeaders.Field(f.path(0).asText(), f.path(1).asText()));
        }
        JsonNode c = o.path("common");
        return new MailHeaders(
                fields,
                o.path("truncated").asBoolean(),
                new MailHeaders.Common(
                        strings(c.path("from")),
                        strings(c.path("replyTo")),
                        strings(c.path("to")),
                        strings(c.path("cc")),
                        optional(c, "subject"),
                        optional(c, "date"),
                        optional(c, "messageId"),
                        optional(c, "fromDomain")));
    }

    private static Optional<String> optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
