package io.poolmta.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.message.Envelope;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link MailEvent} as SES event-publishing JSON: {@code eventType}, {@code mail}
 * (with the auto-tags {@code ses:configuration-set}, {@code ses:outgoing-ip},
 * {@code ses:from-domain}, {@code ses:caller-identity} and PoolMTA's {@code poolmta:pool}), and the
 * type's own object.
 */
public final class SesEventJson {
    public static final String POOL_TAG = "poolmta:pool";
    /** Present when warm-up caps sent the message through the shared pool: the pool it came from. */
    public static final String OVERFLOW_TAG = "poolmta:overflow-from";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})");

    private final String reportingMta;

    public SesEventJson(String reportingMta) {
        this.reportingMta = reportingMta;
    }

    public ObjectNode render(MailEvent event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("eventType", event.type().jsonName());
        root.set("mail", mail(event));
        String ts = iso(event.timestamp());
        switch (event.detail()) {
            case MailEvent.Send s -> root.putObject("send");
            case MailEvent.Delivery d -> {
                ObjectNode o = root.putObject("delivery");
                o.put("timestamp", ts).put("processingTimeMillis", d.processingTimeMillis());
                ArrayNode r = o.putArray("recipients");
                event.recipients().forEach(r::add);
                o.put("smtpResponse", event.reply().orElse(""));
                o.put("reportingMTA", reportingMta);
                event.remoteMta().ifPresent(ip -> o.put("remoteMtaIp", ip));
            }
            case MailEvent.Bounce b -> {
                ObjectNode o = root.putObject("bounce");
                o.put("bounceType", b.bounceType()).put("bounceSubType", b.bounceSubType());
                ArrayNode r = o.putArray("bouncedRecipients");
                for (String rcpt : event.recipients()) {
                    ObjectNode x = r.addObject().put("emailAddress", rcpt).put("action", "failed");
                    event.reply().ifPresent(reply -> x.put("status", status(reply, "5.0.0")).put("diagnosticCode", "smtp; " + reply));
                }
                o.put("timestamp", ts).put("feedbackId", event.envelope().messageId() + "-bounce");
                o.put("reportingMTA", "dns; " + reportingMta);
                event.remoteMta().ifPresent(ip -> o.put("remoteMtaIp", ip));
            }
            case MailEvent.DeliveryDelay d -> {
                ObjectNode o = root.putObject("deliveryDelay");
                o.put("timestamp", ts).put("delayType", d.delayType()).put("expirationTime", iso(d.expirationTime()));
                ArrayNode r = o.putArray("delayedRecipients");
                for (String rcpt : event.recipients()) {
                    ObjectNode x = r.addObject().put("emailAddress", rcpt);
                    event.reply().ifPresent(reply -> x.put("status", status(reply, "4.0.0")).put("diagnosticCode", "smtp; " + reply));
                }
                o.put("reportingMTA", reportingMta);
                event.remoteMta().ifPresent(ip -> o.put("remoteMtaIp", ip));
            }
            case MailEvent.Reject r -> root.putObject("reject").put("reason", r.reason());
        }
        return root;
    }

    private ObjectNode mail(MailEvent event) {
        Envelope env = event.envelope();
        ObjectNode mail = JSON.createObjectNode();
        mail.put("timestamp", iso(env.acceptedAt()));
        mail.put("source", env.mailFrom());
        mail.put("sendingAccountId", env.accountId());
        mail.put("messageId", env.messageId());
        ArrayNode destination = mail.putArray("destination");
        event.recipients().forEach(destination::add);
        mail.put("headersTruncated", false);
        ObjectNode tags = mail.putObject("tags");
        env.configurationSet().ifPresent(cs -> tags.putArray("ses:configuration-set").add(cs));
        event.outgoingIp().ifPresent(ip -> tags.putArray("ses:outgoing-ip").add(ip));
        tags.putArray(POOL_TAG).add(event.poolName());
        event.overflowFrom().ifPresent(pool -> tags.putArray(OVERFLOW_TAG).add(pool));
        int at = env.mailFrom().lastIndexOf('@');
        if (at > 0) {
            tags.putArray("ses:from-domain").add(env.mailFrom().substring(at + 1));
        }
        tags.putArray("ses:caller-identity").add(env.accountId());
        for (Map.Entry<String, List<String>> tag : env.tags().entrySet()) {
            ArrayNode values = tags.putArray(tag.getKey());
            tag.getValue().forEach(values::add);
        }
        return mail;
    }

    private static String status(String reply, String fallback) {
        Matcher m = ENHANCED.matcher(reply);
        return m.find() ? m.group(1) : fallback;
    }

    static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
}
