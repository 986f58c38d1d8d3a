package io.poolmta.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.Mailbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link MailEvent} as SES event-publishing JSON: {@code eventType}, {@code mail}
 * (with {@code sourceArn}, {@code sourceIp}, {@code headers}, {@code headersTruncated},
 * {@code commonHeaders}, and the auto-tags {@code ses:configuration-set}, {@code ses:outgoing-ip},
 * {@code ses:from-domain}, {@code ses:caller-identity} and PoolMTA's {@code poolmta:pool}), and the
 * type's own object ({@code bounce}, {@code complaint}, {@code delivery}, …). Written with Jackson's streaming generator straight to UTF-8 bytes, one
 * compact line; a message tag named like an auto-tag replaces its values in place.
 *
 * <p>{@code sourceArn} names the identity of the From domain:
 * {@code arn:aws:ses::ACCOUNT:identity/DOMAIN}, with an empty region because PoolMTA's resources
 * are not regional (the envelope sender's domain when the From field holds no valid address; no
 * {@code sourceArn} when neither has a domain). {@code sourceIp} is left out when the submitting
 * client is not known (messages spooled by an earlier version). {@code commonHeaders.returnPath} is
 * the envelope sender, where bounces go.
 */
public final class SesEventJson {
    public static final String POOL_TAG = "poolmta:pool";
    /** Present when warm-up caps sent the message through the shared pool: the pool it came from. */
    public static final String OVERFLOW_TAG = "poolmta:overflow-from";
    /**
     * Characters outside the BMP as 4 UTF-8 bytes, not as escaped surrogate pairs (as String.getBytes
     * writes them); buffers from a shared pool (events are rendered on short-lived virtual threads,
     * which a per-thread pool would never let reuse one).
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .recyclerPool(JsonRecyclerPools.newBoundedPool(64))
            .build();

    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})");

    private final String reportingMta;

    public SesEventJson(String reportingMta) {
        this.reportingMta = reportingMta;
    }

    /** The event as one line of JSON, UTF-8, ending in '\n'. */
    public byte[] line(MailEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(768);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(event, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private void write(MailEvent event, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("eventType", event.type().jsonName());
        g.writeFieldName("mail");
        mail(event, g);
        String ts = iso(event.timestamp());
        switch (event.detail()) {
            case MailEvent.Send s -> {
                g.writeFieldName("send");
                g.writeStartObject();
                g.writeEndObject();
            }
            case MailEvent.Delivery d -> {
                g.writeObjectFieldStart("delivery");
                g.writeStringField("timestamp", ts);
                g.writeNumberField("processingTimeMillis", d.processingTimeMillis());
                strings(g, "recipients", event.recipients());
                g.writeStringField("smtpResponse", event.reply().orElse(""));
                g.writeStringField("reportingMTA", reportingMta);
                optional(g, "remoteMtaIp", event.remoteMta());
                g.writeEndObject();
            }
            case MailEvent.Bounce b -> {
                g.writeObjectFieldStart("bounce");
                g.writeStringField("bounceType", b.bounceType());
                g.writeStringField("bounceSubType", b.bounceSubType());
                g.writeArrayFieldStart("bouncedRecipients");
                if (b.bouncedRecipients().isEmpty()) {
                    for (String rcpt : event.recipients()) {
                        g.writeStartObject();
                        g.writeStringField("emailAddress", rcpt);
                        g.writeStringField("action", "failed");
                        diagnosis(g, event.reply(), "5.0.0");
                        g.writeEndObject();
                    }
                } else {
                    for (MailEvent.BouncedRecipient rcpt : b.bouncedRecipients()) {
                        g.writeStartObject();
                        g.writeStringField("emailAddress", rcpt.emailAddress());
                        g.writeStringField("action", rcpt.action());
                        optional(g, "status", rcpt.status());
                        optional(g, "diagnosticCode", rcpt.diagnosticCode());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeStringField("timestamp", ts);
                g.writeStringField(
                        "feedbackId", b.feedbackId().orElse(event.envelope().messageId() + "-bounce"));
                g.writeStringField("reportingMTA", b.reportingMta().orElse("dns; " + reportingMta));
                optional(g, "remoteMtaIp", event.remoteMta());
                g.writeEndObject();
            }
            case MailEvent.Complaint c -> {
                g.writeObjectFieldStart("complaint");
                g.writeStringField("feedbackId", c.feedbackId());
                g.writeNullField("complaintSubType");
                g.writeArrayFieldStart("complainedRecipients");
                for (String rcpt : event.recipients()) {
                    g.writeStartObject();
                    g.writeStringField("emailAddress", rcpt);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringField("timestamp", ts);
                optional(g, "userAgent", c.userAgent());
                optional(g, "complaintFeedbackType", c.feedbackType());
                optional(g, "arrivalDate", c.arrivalDate().map(SesEventJson::iso));
                g.writeEndObject();
            }
            case MailEvent.DeliveryDelay d -> {
                g.writeObjectFieldStart("deliveryDelay");
                g.writeStringField("timestamp", ts);
                g.writeStringField("delayType", d.delayType());
                g.writeStringField("expirationTime", iso(d.expirationTime()));
                g.writeArrayFieldStart("delayedRecipients");
                for (String rcpt : event.recipients()) {
                    g.writeStartObject();
                    g.writeStringField("emailAddress", rcpt);
                    diagnosis(g, event.reply(), "4.0.0");
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringField("reportingMTA", reportingMta);
                optional(g, "remoteMtaIp", event.remoteMta());
                g.writeEndObject();
            }
            case MailEvent.Reject r -> {
                g.writeObjectFieldStart("reject");
                g.writeStringField("reason", r.reason());
                g.writeEndObject();
            }
            case MailEvent.RenderingFailure f -> {
                g.writeObjectFieldStart("failure");
                g.writeStringField("errorMessage", f.errorMessage());
                g.writeStringField("templateName", f.templateName());
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    private static void mail(MailEvent event, JsonGenerator g) throws IOException {
        Envelope env = event.envelope();
        g.writeStartObject();
        MailHeaders headers = event.headers();
        g.writeStringField("timestamp", iso(env.acceptedAt()));
        g.writeStringField("source", env.mailFrom());
        optional(g, "sourceArn", sourceArn(env, headers));
        if (!env.sourceIp().isEmpty()) {
            g.writeStringField("sourceIp", env.sourceIp());
        }
        g.writeStringField("sendingAccountId", env.accountId());
        g.writeStringField("messageId", env.messageId());
        strings(g, "destination", event.recipients());
        g.writeBooleanField("headersTruncated", headers.truncated());
        g.writeArrayFieldStart("headers");
        for (MailHeaders.Field field : headers.fields()) {
            g.writeStartObject();
            g.writeStringField("name", field.name());
            g.writeStringField("value", field.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        commonHeaders(g, headers.common(), env.mailFrom());
        g.writeObjectFieldStart("tags");
        for (Map.Entry<String, List<String>> tag : tags(event).entrySet()) {
            strings(g, tag.getKey(), tag.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The SES commonHeaders object: the address lists that are there, then Date, Message-ID, Subject, returnPath. */
    private static void commonHeaders(JsonGenerator g, MailHeaders.Common common, String mailFrom) throws IOException {
        g.writeObjectFieldStart("commonHeaders");
        nonEmpty(g, "from", common.from());
        nonEmpty(g, "replyTo", common.replyTo());
        nonEmpty(g, "to", common.to());
        nonEmpty(g, "cc", common.cc());
        optional(g, "date", common.date());
        optional(g, "messageId", common.messageId());
        optional(g, "subject", common.subject());
        if (!mailFrom.isEmpty()) {
            g.writeStringField("returnPath", mailFrom);
        }
        g.writeEndObject();
    }

    /** arn:aws:ses::ACCOUNT:identity/DOMAIN for the From domain, else the envelope sender's. */
    static Optional<String> sourceArn(Envelope env, MailHeaders headers) {
        Optional<String> domain = headers.common().fromDomain();
        if (domain.isEmpty()) {
            domain = Mailbox.domainOf(env.mailFrom());
        }
        return domain.map(d -> "arn:aws:ses::" + env.accountId() + ":identity/" + d);
    }

    private static void nonEmpty(JsonGenerator g, String field, List<String> values) throws IOException {
        if (!values.isEmpty()) {
            strings(g, field, values);
        }
    }

    /** The auto-tags, then the message's own; a later tag of the same name keeps the earlier one's place. */
    private static Map<String, List<String>> tags(MailEvent event) {
        Envelope env = event.envelope();
        Map<String, List<String>> tags = new LinkedHashMap<>();
        env.configurationSet().ifPresent(cs -> tags.put("ses:configuration-set", List.of(cs)));
        event.outgoingIp().ifPresent(ip -> tags.put("ses:outgoing-ip", List.of(ip)));
        tags.put(POOL_TAG, List.of(event.poolName()));
        event.overflowFrom().ifPresent(pool -> tags.put(OVERFLOW_TAG, List.of(pool)));
        Mailbox.domainOf(env.mailFrom()).ifPresent(domain -> tags.put("ses:from-domain", List.of(domain)));
        tags.put("ses:caller-identity", List.of(env.accountId()));
        tags.putAll(env.tags());
        return tags;
    }

    private static void diagnosis(JsonGenerator g, Optional<String> reply, String fallbackStatus) throws IOException {
        if (reply.isPresent()) {
            g.writeStringField("status", status(reply.get(), fallbackStatus));
            g.writeStringField("diagnosticCode", "smtp; " + reply.get());
        }
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        }
    }

    private static String status(String reply, String fallback) {
        Matcher m = ENHANCED.matcher(reply);
        return m.find() ? m.group(1) : fallback;
    }

    /** ISO-8601 in UTC to the millisecond, as {@link DateTimeFormatter#ISO_INSTANT} writes it (no fraction at .000). */
    static String iso(Instant instant) {
        return IsoSeconds.format(instant);
    }
}
