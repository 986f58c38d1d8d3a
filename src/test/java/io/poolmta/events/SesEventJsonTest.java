package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
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
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Header sections of every shape the summary has: plain, folded, encoded-words, groups, none valid. */
    private static final List<MailHeaders> HEADERS = List.of(
            MailHeaders.of(bytes("From: Sender Name <sender@example.com>\r\nTo: recipient@example.com\r\n"
                    + "Subject: Message sent from PoolMTA\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n"
                    + "\tboundary=\"b1\"\r\nMessage-ID: <id-1@mail.poolmta.test>\r\n"
                    + "Date: Mon, 2 Jun 2025 08:00:00 +0000\r\n\r\nbody\r\n")),
            MailHeaders.of(
                    bytes(
                            "From: \"Doe, Jane\" <jane@example.com>\r\nReply-To: Team: a@example.org, b@example.org;\r\n"
                                    + "Cc: =?UTF-8?B?SsO2cmc=?= <joerg@example.de>\r\nX-Unicode: välue \"q\" \\ \u0001\r\n\r\n")),
            MailHeaders.of(bytes("From: not an address\r\nSubject: no from domain\r\n\r\n")),
            MailHeaders.UNREADABLE);

    @Test
    void everyKindOfEventRendersAsTheTreeDid() {
        Random random = new Random(42);
        List<MailEvent.Detail> details = List.of(
                new MailEvent.Send(),
                new MailEvent.Delivery(1234),
                new MailEvent.Bounce("Permanent", "General"),
                new MailEvent.DeliveryDelay("TransientCommunicationFailure", Instant.parse("2025-06-04T10:15:30.120Z")),
                new MailEvent.Reject("Bad \"content\"\n\u0001 é 😀"),
                new MailEvent.RenderingFailure("Attribute 'name' is not present in the rendering data.", "welcome"),
                new MailEvent.Bounce(
                        "Transient",
                        "MailboxFull",
                        List.of(
                                new MailEvent.BouncedRecipient(
                                        "a@example.net",
                                        "failed",
                                        Optional.of("5.2.2"),
                                        Optional.of("smtp; 552 5.2.2 \"full\" ü")),
                                new MailEvent.BouncedRecipient("b@x", "failed", Optional.empty(), Optional.empty())),
                        Optional.of("dns; mx.example.net"),
                        Optional.of("feedback-1")),
                new MailEvent.Complaint(
                        Optional.of("abuse"),
                        Optional.of("Yahoo!-Mail-Feedback/2.0"),
                        Optional.of(Instant.parse("2025-06-04T10:15:30Z")),
                        "feedback-2"),
                new MailEvent.Complaint(Optional.empty(), Optional.empty(), Optional.empty(), "feedback-3"));
        List<Optional<String>> replies = List.of(
                Optional.empty(),
                Optional.of("250 2.0.0 Ok: queued as ABC"),
                Optional.of("550-5.1.1 No such user"),
                Optional.of("451 try again"),
                Optional.of("weird \"reply\" ü\t"));
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
            Envelope envelope = new Envelope(
                    "0100019-" + i,
                    "acct-" + random.nextInt(3),
                    random.nextBoolean() ? Optional.of("set-a") : Optional.empty(),
                    "pool-a",
                    from,
                    List.of("a@example.net", "b@example.org"),
                    instant(random),
                    instant(random),
                    TlsPolicy.OPTIONAL,
                    tags);
            List<String> recipients =
                    random.nextBoolean() ? List.of("a@example.net") : List.of("a@example.net", "b\"@x");
            if (random.nextBoolean()) {
                envelope = new Envelope(
                        envelope.messageId(),
                        envelope.accountId(),
                        envelope.configurationSet(),
                        envelope.poolName(),
                        envelope.mailFrom(),
                        envelope.recipients(),
                        envelope.acceptedAt(),
                        envelope.expiresAt(),
                        envelope.tlsPolicy(),
                        envelope.tags(),
                        random.nextBoolean() ? "127.0.0.1" : "::1");
            }
            MailEvent event = new MailEvent(
                    EventType.DELIVERY,
                    instant(random),
                    envelope,
                    recipients,
                    random.nextBoolean() ? Optional.of("127.0.0.11") : Optional.empty(),
                    "pool-a",
                    random.nextBoolean() ? Optional.of("192.0.2.7") : Optional.empty(),
                    replies.get(random.nextInt(replies.size())),
                    detail,
                    random.nextBoolean() ? Optional.of("pool-b") : Optional.empty(),
                    HEADERS.get(random.nextInt(HEADERS.size())));
            String expected = reference.render(event).toString() + "\n";
            assertThat(new String(json.line(event), StandardCharsets.UTF_8)).isEqualTo(expected);
            rendered++;
        }
        assertThat(rendered).isEqualTo(500);
    }

    @Test
    void aLoneSurrogateIsEscapedNotReplaced() {
        // the tree's String.getBytes(UTF_8) wrote '?' for it; the generator keeps it, as JSON allows
        Envelope envelope = new Envelope(
                "id",
                "acct",
                Optional.empty(),
                "pool",
                "a@example.com",
                List.of("b@example.org"),
                Instant.EPOCH,
                Instant.EPOCH,
                TlsPolicy.OPTIONAL,
                Map.of());
        MailEvent event = new MailEvent(
                EventType.REJECT,
                Instant.EPOCH,
                envelope,
                List.of("b@example.org"),
                Optional.empty(),
                "pool",
                Optional.empty(),
                Optional.empty(),
                new MailEvent.Reject("lone \uD83D, pair \uD83D\uDE00"),
                MailHeaders.UNREADABLE);
        assertThat(new String(json.line(event), StandardCharsets.UTF_8))
                .contains("\"reason\":\"lone \\uD83D, pair \uD83D\uDE00\"");
    }

    /** The mail object has SES's fields, in SES's shapes (the event-publishing examples of the SES guide). */
    @Test
    void theMailObjectHasHeadersCommonHeadersSourceArnAndSourceIp() throws Exception {
        Envelope envelope = new Envelope(
                "0100019-1",
                "123456789012",
                Optional.of("set-a"),
                "pool-a",
                "bounces@example.com",
                List.of("recipient@example.com"),
                Instant.parse("2025-06-02T08:00:00Z"),
                Instant.parse("2025-06-02T22:00:00Z"),
                TlsPolicy.OPTIONAL,
                Map.of(),
                "192.0.2.10");
        MailEvent event = new MailEvent(
                EventType.SEND,
                Instant.parse("2025-06-02T08:00:00Z"),
                envelope,
                List.of("recipient@example.com"),
                Optional.empty(),
                "pool-a",
                Optional.empty(),
                Optional.empty(),
                new MailEvent.Send(),
                HEADERS.getFirst());

        JsonNode mail = MAPPER.readTree(json.line(event)).get("mail");

        assertThat(mail.get("source").asText()).isEqualTo("bounces@example.com");
        assertThat(mail.get("sourceArn").asText()).isEqualTo("arn:aws:ses::123456789012:identity/example.com");
        assertThat(mail.get("sourceIp").asText()).isEqualTo("192.0.2.10");
        assertThat(mail.get("sendingAccountId").asText()).isEqualTo("123456789012");
        assertThat(mail.get("headersTruncated").asBoolean()).isFalse();
        assertThat(mail.get("headers")).hasSize(7);
        assertThat(mail.at("/headers/0/name").asText()).isEqualTo("From");
        assertThat(mail.at("/headers/0/value").asText()).isEqualTo("Sender Name <sender@example.com>");
        assertThat(mail.at("/headers/4/value").asText())
                .as("unfolded")
                .isEqualTo("multipart/alternative;\tboundary=\"b1\"");
        JsonNode common = mail.get("commonHeaders");
        assertThat(MAPPER.convertValue(common, Map.class))
                .containsOnlyKeys("from", "to", "date", "messageId", "subject", "returnPath");
        assertThat(common.at("/from/0").asText()).isEqualTo("Sender Name <sender@example.com>");
        assertThat(common.at("/to/0").asText()).isEqualTo("recipient@example.com");
        assertThat(common.get("messageId").asText()).isEqualTo("<id-1@mail.poolmta.test>");
        assertThat(common.get("subject").asText()).isEqualTo("Message sent from PoolMTA");
        assertThat(common.get("date").asText()).isEqualTo("Mon, 2 Jun 2025 08:00:00 +0000");
        assertThat(common.get("returnPath").asText()).isEqualTo("bounces@example.com");

        JsonNode other = MAPPER.readTree(json.line(new MailEvent(
                        EventType.SEND,
                        Instant.EPOCH,
                        envelope,
                        List.of("recipient@example.com"),
                        Optional.empty(),
                        "pool-a",
                        Optional.empty(),
                        Optional.empty(),
                        new MailEvent.Send(),
                        HEADERS.get(1))))
                .get("mail");
        assertThat(other.at("/commonHeaders/from/0").asText()).isEqualTo("\"Doe, Jane\" <jane@example.com>");
        assertThat(other.at("/commonHeaders/replyTo"))
                .extracting(JsonNode::asText)
                .containsExactly("a@example.org", "b@example.org");
        assertThat(other.at("/commonHeaders/cc/0").asText()).isEqualTo("=?UTF-8?B?SsO2cmc=?= <joerg@example.de>");
        assertThat(other.get("sourceArn").asText()).isEqualTo("arn:aws:ses::123456789012:identity/example.com");
    }

    @Test
    void headersBeyondTenKilobytesAreTruncatedButCommonHeadersStayWhole() throws Exception {
        StringBuilder head = new StringBuilder("From: a@example.com\r\n");
        for (int i = 0; i < 20; i++) {
            head.append("X-Filler-")
                    .append(i)
                    .append(": ")
                    .append("x".repeat(900))
                    .append("\r\n");
        }
        head.append("Subject: after the filler\r\n\r\nbody\r\n");
        MailHeaders headers = MailHeaders.of(bytes(head.toString()));
        Envelope envelope = new Envelope(
                "id",
                "acct",
                Optional.empty(),
                "pool",
                "",
                List.of("b@example.org"),
                Instant.EPOCH,
                Instant.EPOCH,
                TlsPolicy.OPTIONAL,
                Map.of());

        JsonNode mail = MAPPER.readTree(json.line(new MailEvent(
                        EventType.SEND,
                        Instant.EPOCH,
                        envelope,
                        List.of("b@example.org"),
                        Optional.empty(),
                        "pool",
                        Optional.empty(),
                        Optional.empty(),
                        new MailEvent.Send(),
                        headers)))
                .get("mail");

        assertThat(mail.get("headersTruncated").asBoolean()).isTrue();
        assertThat(mail.get("headers").size()).isBetween(2, 12);
        int size = 0;
        for (JsonNode field : mail.get("headers")) {
            size += field.get("name").asText().length()
                    + field.get("value").asText().length();
        }
        assertThat(size).isLessThanOrEqualTo(MailHeaders.LIMIT);
        assertThat(mail.at("/commonHeaders/subject").asText()).isEqualTo("after the filler");
        assertThat(mail.has("sourceIp")).as("client not known").isFalse();
        assertThat(mail.get("sourceArn").asText()).isEqualTo("arn:aws:ses::acct:identity/example.com");
        assertThat(mail.at("/commonHeaders").has("returnPath"))
                .as("null sender")
                .isFalse();
    }

    @Test
    void timestampsAreIsoInstantsToTheMillisecond() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = i % 2 == 0
                    ? instant(random)
                    : Instant.ofEpochSecond(1_780_000_000L + i / 50, (i % 50) * 20_000_123L);
            assertThat(SesEventJson.iso(instant))
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS)));
        }
        assertThat(SesEventJson.iso(Instant.parse("2025-06-03T10:15:30Z"))).isEqualTo("2025-06-03T10:15:30Z");
        assertThat(SesEventJson.iso(Instant.parse("2025-06-03T10:15:30.007999Z")))
                .isEqualTo("2025-06-03T10:15:30.007Z");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
                    if (b.bouncedRecipients().isEmpty()) {
                        for (String rcpt : event.recipients()) {
                            ObjectNode x =
                                    r.addObject().put("emailAddress", rcpt).put("action", "failed");
                            event.reply()
                                    .ifPresent(reply -> x.put("status", status(reply, "5.0.0"))
                                            .put("diagnosticCode", "smtp; " + reply));
                        }
                    } else {
                        for (MailEvent.BouncedRecipient rcpt : b.bouncedRecipients()) {
                            ObjectNode x = r.addObject()
                                    .put("emailAddress", rcpt.emailAddress())
                                    .put("action", rcpt.action());
                            rcpt.status().ifPresent(v -> x.put("status", v));
                            rcpt.diagnosticCode().ifPresent(v -> x.put("diagnosticCode", v));
                        }
                    }
                    o.put("timestamp", ts)
                            .put(
                                    "feedbackId",
                                    b.feedbackId().orElse(event.envelope().messageId() + "-bounce"));
                    o.put("reportingMTA", b.reportingMta().orElse("dns; " + reportingMta));
                    event.remoteMta().ifPresent(ip -> o.put("remoteMtaIp", ip));
                }
                case MailEvent.DeliveryDelay d -> {
                    ObjectNode o = root.putObject("deliveryDelay");
                    o.put("timestamp", ts)
                            .put("delayType", d.delayType())
                            .put("expirationTime", iso(d.expirationTime()));
                    ArrayNode r = o.putArray("delayedRecipients");
                    for (String rcpt : event.recipients()) {
                        ObjectNode x = r.addObject().put("emailAddress", rcpt);
                        event.reply()
                                .ifPresent(reply -> x.put("status", status(reply, "4.0.0"))
                                        .put("diagnosticCode", "smtp; " + reply));
                    }
                    o.put("reportingMTA", reportingMta);
                    event.remoteMta().ifPresent(ip -> o.put("remoteMtaIp", ip));
                }
                case MailEvent.Complaint c -> {
                    ObjectNode o = root.putObject("complaint");
                    o.put("feedbackId", c.feedbackId()).putNull("complaintSubType");
                    ArrayNode r = o.putArray("complainedRecipients");
                    event.recipients().forEach(rcpt -> r.addObject().put("emailAddress", rcpt));
                    o.put("timestamp", ts);
                    c.userAgent().ifPresent(v -> o.put("userAgent", v));
                    c.feedbackType().ifPresent(v -> o.put("complaintFeedbackType", v));
                    c.arrivalDate().ifPresent(v -> o.put("arrivalDate", iso(v)));
                }
                case MailEvent.Reject r -> root.putObject("reject").put("reason", r.reason());
                case MailEvent.RenderingFailure f ->
                    root.putObject("failure")
                            .put("errorMessage", f.errorMessage())
                            .put("templateName", f.templateName());
            }
            return root;
        }

        private ObjectNode mail(MailEvent event) {
            Envelope env = event.envelope();
            ObjectNode mail = JSON.createObjectNode();
            MailHeaders headers = event.headers();
            mail.put("timestamp", iso(env.acceptedAt()));
            mail.put("source", env.mailFrom());
            String domain = headers.common().fromDomain().orElse(null);
            int sender = env.mailFrom().lastIndexOf('@');
            if (domain == null && sender > 0 && sender < env.mailFrom().length() - 1) {
                domain = env.mailFrom().substring(sender + 1);
            }
            if (domain != null) {
                mail.put("sourceArn", "arn:aws:ses::" + env.accountId() + ":identity/" + domain);
            }
            if (!env.sourceIp().isEmpty()) {
                mail.put("sourceIp", env.sourceIp());
            }
            mail.put("sendingAccountId", env.accountId());
            mail.put("messageId", env.messageId());
            ArrayNode destination = mail.putArray("destination");
            event.recipients().forEach(destination::add);
            mail.put("headersTruncated", headers.truncated());
            ArrayNode fields = mail.putArray("headers");
            headers.fields()
                    .forEach(f -> fields.addObject().put("name", f.name()).put("value", f.value()));
            ObjectNode common = mail.putObject("commonHeaders");
            MailHeaders.Common c = headers.common();
            for (Map.Entry<String, List<String>> list : List.of(
                    Map.entry("from", c.from()),
                    Map.entry("replyTo", c.replyTo()),
                    Map.entry("to", c.to()),
                    Map.entry("cc", c.cc()))) {
                if (!list.getValue().isEmpty()) {
                    ArrayNode values = common.putArray(list.getKey());
                    list.getValue().forEach(values::add);
                }
            }
            c.date().ifPresent(v -> common.put("date", v));
            c.messageId().ifPresent(v -> common.put("messageId", v));
            c.subject().ifPresent(v -> common.put("subject", v));
            if (!env.mailFrom().isEmpty()) {
                common.put("returnPath", env.mailFrom());
            }
            ObjectNode tags = mail.putObject("tags");
            env.configurationSet()
                    .ifPresent(cs -> tags.putArray("ses:configuration-set").add(cs));
            event.outgoingIp().ifPresent(ip -> tags.putArray("ses:outgoing-ip").add(ip));
            tags.putArray(SesEventJson.POOL_TAG).add(event.poolName());
            event.overflowFrom()
                    .ifPresent(pool -> tags.putArray(SesEventJson.OVERFLOW_TAG).add(pool));
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
