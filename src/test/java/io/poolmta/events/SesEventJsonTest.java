package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.TlsPolicy;
import io.poolmta.message.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The streaming {@link SesEventJson} against the Jackson-tree rendering it replaced (kept below as
 * {@link TreeReference}): every event kind, with and without optional parts, tags that collide
 * with auto-tags, and text that needs JSON escaping, must give the same line.
 */
class SesEventJsonTest {
    private final SesEventJson json = new SesEventJson("mta.poolmta.test");
    private final TreeReference reference = new TreeReference("mta.poolmta.test");

    @Test
    void everyKindOfEventRendersAsTheTreeDid() {
        Random random = new Random(42);
        List<MailEvent.Detail> details = List.of(new MailEvent.Send(), new MailEvent.Delivery(1234),
                new MailEvent.Bounce("Permanent", "General"),
                new MailEvent.DeliveryDelay("TransientCommunicationFailure", Instant.parse("2025-06-04T10:15:30.120Z")),
                new MailEvent.Reject("Bad \"content\"\n\u0001 é 😀"),
                new MailEvent.RenderingFailure("Attribute 'name' is not present in the rendering data.", "welcome"));
        List<Optional<String>> replies = List.of(Optional.empty(), Optional.of("250 2.0.0 Ok: queued as ABC"),
                Optional.of("550-5.1.1 No such user"), Optional.of("451 try again"), Optional.of("weird \"reply\" ü\t"));
        int rendered = 0;
        for (int i = 0; i < 500; i++) {
            MailEvent.Detail detail = details.get(random.nextInt(details.size()));
            Map<String, List<String>> tags = switch (random.nextInt(4)) {
                case 0 -> Map.of();
                case 1 -> Map.of("campaign", List.of("spring"), "ab", List.of("a", "b"));
                case 2 -> Map.of("ses:configuration-set", List.of("overridden"), "poolmta:pool", List.of("x"));
                default -> Map.of("empty", List.of(), "ünïcode \"tag\"", List.of("välue\\"));
            };
            String from = random.nextBoolean() ? "sender@example.com" : "no-at-sign";
            Envelope envelope = new Envelope("0100019-" + i, "acct-" + random.nextInt(3),
                    random.nextBoolean() ? Optional.of("set-a") : Optional.empty(), "pool-a", from,
                    List.of("a@example.net", "b@example.org"), instant(random), instant(random), TlsPolicy.OPTIONAL, tags);
            List<String> recipients = random.nextBoolean() ? List.of("a@example.net") : List.of("a@example.net", "b\"@x");
            MailEvent event = new MailEvent(EventType.DELIVERY, instant(random), envelope, recipients,
                    random.nextBoolean() ? Optional.of("127.0.0.11") : Optional.empty(), "pool-a",
                    random.nextBoolean() ? Optional.of("192.0.2.7") : Optional.empty(), replies.get(random.nextInt(replies.size())),
                    detail, random.nextBoolean() ? Optional.of("pool-b") : Optional.empty());
            String expected = reference.render(event).toString() + "\n";
            assertThat(new String(json.line(event), StandardCharsets.UTF_8)).isEqualTo(expected);
            rendered++;
        }
        assertThat(rendered).isEqualTo(500);
    }

    @Test
    void aLoneSurrogateIsEscapedNotReplaced() {
        // the tree's String.getBytes(UTF_8) wrote '?' for it; the generator keeps it, as JSON allows
        Envelope envelope = new Envelope("id", "acct", Optional.empty(), "pool", "a@example.com", List.of("b@example.org"),
                Instant.EPOCH, Instant.EPOCH, TlsPolicy.OPTIONAL, Map.of());
        MailEvent event = new MailEvent(EventType.REJECT, Instant.EPOCH, envelope, List.of("b@example.org"), Optional.empty(),
                "pool", Optional.empty(), Optional.empty(), new MailEvent.Reject("lone \uD83D, pair \uD83D\uDE00"));
        assertThat(new String(json.line(event), StandardCharsets.UTF_8))
                .contains("\"reason\":\"lone \\uD83D, pair \uD83D\uDE00\"");
    }

    @Test
    void timestampsAreIsoInstantsToTheMillisecond() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = i % 2 == 0 ? instant(random) : Instant.ofEpochSecond(1_780_000_000L + i / 50, (i % 50) * 20_000_123L);
            assertThat(SesEventJson.iso(instant))
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS)));
        }
        assertThat(SesEventJson.iso(Instant.parse("2025-06-03T10:15:30Z"))).isEqualTo("2025-06-03T10:15:30Z");
        assertThat(SesEventJson.iso(Instant.parse("2025-06-03T10:15:30.007999Z"))).isEqualTo("2025-06-03T10:15:30.007Z");
    }

    private static Instant instant(Random random) {
        return Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000));
    }

    /** The rendering before streaming: a Jackson tree, then toString(). */
    static final class TreeReference {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})");
        private final String reportingMta;

        TreeReference(String reportingMta) {
            this.reportingMta = reportingMta;
        }

        ObjectNode render(MailEvent event) {
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
                        event.reply().ifPresent(reply -> x.put("status", status(reply, "5.0.0"))
                                .put("diagnosticCode", "smtp; " + reply));
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
                        event.reply().ifPresent(reply -> x.put("status", status(reply, "4.0.0"))
                                .put("diagnosticCode", "smtp; " + reply));
                    }
                    o.put("reportingMTA", reportingMta);
                    event.remoteMta().ifPresent(ip -> o.put("remoteMtaIp", ip));
                }
                case MailEvent.Reject r -> root.putObject("reject").put("reason", r.reason());
                case MailEvent.RenderingFailure f -> root.putObject("failure").put("errorMessage", f.errorMessage())
                        .put("templateName", f.templateName());
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
            tags.putArray(SesEventJson.POOL_TAG).add(event.poolName());
            event.overflowFrom().ifPresent(pool -> tags.putArray(SesEventJson.OVERFLOW_TAG).add(pool));
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

        private static String iso(Instant instant) {
            return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
    }
}
