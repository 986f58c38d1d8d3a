package io.poolmta.feedback;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what came back to a return path: an RFC 3464 delivery status notification (a
 * {@code message/delivery-status} part: the per-message and per-recipient field groups), an ARF
 * complaint (RFC 5965: a {@code message/feedback-report} part, and the embedded original message
 * or its headers), or else the plain text of the message for the non-standard bounce patterns.
 * Bounded: at most {@value #MAX_PARTS} MIME parts, {@value #MAX_DEPTH} levels of nesting,
 * {@value #MAX_TEXT} characters of text and {@value #MAX_GROUPS} field groups are looked at.
 * Malformed MIME is read as plain text; nothing here throws on any input.
 */
public final class ReportParser {
    static final int MAX_PARTS = 64;
    static final int MAX_DEPTH = 4;
    static final int MAX_TEXT = 64 * 1024;
    static final int MAX_GROUPS = 500;
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Pattern ADDRESS =
            Pattern.compile("[A-Za-z0-9._%+=!#$&'*/?^`{|}~-]+@[A-Za-z0-9.-]+[A-Za-z0-9]");
    /** The obsolete zone names RFC 5322 still allows (section 4.3), as the reports use them. */
    private static final Map<String, String> US_ZONES = Map.of(
            "UT", "+0000", "EST", "-0500", "EDT", "-0400", "CST", "-0600", "CDT", "-0500", "MST", "-0700", "MDT",
            "-0600", "PST", "-0800", "PDT", "-0700");

    private static final Pattern US_ZONE = Pattern.compile(" (UT|[ECMP][SD]T)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern COMMENT = Pattern.compile("\\([^)]*\\)");

    private ReportParser() {}

    /** The report a message is. */
    public static FeedbackReport parse(byte[] content) {
        Parts parts = new Parts();
        String subject = "";
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(content));
            subject = Optional.ofNullable(message.getSubject()).orElse("");
            parts.walk(message, 0);
        } catch (MessagingException | IOException | RuntimeException e) {
            parts.malformed = true;
        }
        if (parts.feedbackReport != null) {
            return complaint(parts);
        }
        if (parts.deliveryStatus != null) {
            return deliveryStatus(parts.deliveryStatus);
        }
        String text = parts.text.isEmpty() || parts.malformed ? raw(content) : parts.text.toString();
        return new FeedbackReport.PlainText(subject, text);
    }

    /** The parts of interest, gathered in one walk. */
    private static final class Parts {
        String deliveryStatus;
        String feedbackReport;
        String embeddedHeaders;
        final StringBuilder text = new StringBuilder();
        int seen;
        boolean malformed;

        void walk(Part part, int depth) throws MessagingException, IOException {
            if (++seen > MAX_PARTS || depth > MAX_DEPTH) {
                return;
            }
            String type = baseType(part);
            if (type.startsWith("multipart/")) {
                Object body = part.getContent();
                if (body instanceof Multipart multipart) {
                    for (int i = 0; i < multipart.getCount() && seen <= MAX_PARTS; i++) {
                        BodyPart child = multipart.getBodyPart(i);
                        walk(child, depth + 1);
                    }
                } else {
                    malformed = true;
                }
                return;
            }
            switch (type) {
                case "message/delivery-status", "message/global-delivery-status" -> {
                    if (deliveryStatus == null) {
                        deliveryStatus = read(part, charset(part));
                    }
                }
                case "message/feedback-report" -> {
                    if (feedbackReport == null) {
                        feedbackReport = read(part, charset(part));
                    }
                }
                case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global" -> {
                    if (embeddedHeaders == null) {
                        embeddedHeaders = headerSection(read(part, StandardCharsets.ISO_8859_1));
                    }
                }
                case "text/plain", "text/html", "" -> {
                    if (text.length() < MAX_TEXT) {
                        String t = read(part, charset(part));
                        text.append(type.equals("text/html") ? t.replaceAll("<[^>]{0,500}>", " ") : t)
                                .append('\n');
                    }
                }
                default -> {
                    // attachments and the like say nothing about the delivery
                }
            }
        }
    }

    private static String baseType(Part part) throws MessagingException {
        String header = part.getContentType();
        if (header == null) {
            return "";
        }
        try {
            return new ContentType(header).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            int semi = header.indexOf(';');
            return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        }
    }

    private static Charset charset(Part part) {
        try {
            String name = new ContentType(part.getContentType()).getParameter("charset");
            if (name != null) {
                return Charset.forName(MimeUtility.javaCharset(name));
            }
        } catch (MessagingException | RuntimeException e) {
            // the default below
        }
        return StandardCharsets.UTF_8;
    }

    /** At most {@link #MAX_TEXT} characters of a part's decoded content. */
    private static String read(Part part, Charset charset) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_TEXT);
            return new String(bytes, charset);
        }
    }

    private static String raw(byte[] content) {
        return new String(content, 0, Math.min(content.length, MAX_TEXT), StandardCharsets.ISO_8859_1);
    }

    private static String headerSection(String message) {
        int end = message.indexOf("\r\n\r\n");
        if (end < 0) {
            end = message.indexOf("\n\n");
        }
        return end < 0 ? message : message.substring(0, end);
    }

    private static FeedbackReport.DeliveryStatus deliveryStatus(String text) {
        Optional<String> reportingMta = Optional.empty();
        List<FeedbackReport.ReportedRecipient> recipients = new ArrayList<>();
        for (Map<String, List<String>> group : groups(text)) {
            if (reportingMta.isEmpty()) {
                reportingMta = first(group, "reporting-mta");
            }
            Optional<String> finalRecipient = first(group, "final-recipient").flatMap(ReportParser::addressOf);
            if (finalRecipient.isEmpty()) {
                continue;
            }
            recipients.add(new FeedbackReport.ReportedRecipient(
                    finalRecipient.get(),
                    first(group, "original-recipient").flatMap(ReportParser::addressOf),
                    first(group, "action").map(a -> a.toLowerCase(Locale.ROOT)).orElse("failed"),
                    first(group, "status")
                            .map(s -> COMMENT.matcher(s).replaceAll("").strip()),
                    first(group, "diagnostic-code"),
                    first(group, "diagnostic-code").orElse("")));
        }
        return new FeedbackReport.DeliveryStatus(reportingMta, recipients);
    }

    private static FeedbackReport.Complaint complaint(Parts parts) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (Map<String, List<String>> group : groups(parts.feedbackReport)) {
            group.forEach(
                    (k, v) -> fields.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        List<String> rcptTo = new ArrayList<>();
        fields.getOrDefault("original-rcpt-to", List.of())
                .forEach(v -> addressOf(v).ifPresent(rcptTo::add));
        List<String> embedded = new ArrayList<>();
        if (parts.embeddedHeaders != null) {
            for (Map<String, List<String>> group : groups(parts.embeddedHeaders)) {
                for (String key : List.of("to", "cc")) {
                    for (String value : group.getOrDefault(key, List.of())) {
                        Matcher m = ADDRESS.matcher(value);
                        while (m.find()) {
                            embedded.add(m.group());
                        }
                    }
                }
                break;
            }
        }
        return new FeedbackReport.Complaint(
                first(fields, "feedback-type").map(t -> t.toLowerCase(Locale.ROOT)),
                first(fields, "user-agent"),
                first(fields, "arrival-date")
                        .or(() -> first(fields, "received-date"))
                        .flatMap(ReportParser::date),
                rcptTo,
                embedded);
    }

    /** The field groups of a text (blank lines between them), names in lower case, continuation lines unfolded. */
    static List<Map<String, List<String>>> groups(String text) {
        List<Map<String, List<String>>> groups = new ArrayList<>();
        Map<String, List<String>> group = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) {
                group.computeIfAbsent(name, k -> new ArrayList<>())
                        .add(value.toString().strip());
                name = null;
            }
            if (line.isBlank()) {
                if (!group.isEmpty()) {
                    groups.add(group);
                    if (groups.size() >= MAX_GROUPS) {
                        return groups;
                    }
                    group = new LinkedHashMap<>();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                value.setLength(0);
                value.append(line.substring(colon + 1));
            }
        }
        if (name != null) {
            group.computeIfAbsent(name, k -> new ArrayList<>())
                    .add(value.toString().strip());
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    private static Optional<String> first(Map<String, List<String>> group, String name) {
        List<String> values = group.get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty()
                ? Optional.empty()
                : Optional.of(values.getFirst());
    }

    /** The address of a typed field ("rfc822; a@b", "<a@b>", "a@b"). */
    static Optional<String> addressOf(String value) {
        String v = value;
        int semi = v.indexOf(';');
        if (semi >= 0) {
            v = v.substring(semi + 1);
        }
        Matcher m = ADDRESS.matcher(v);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** An RFC 5322 date (comments and extra spaces allowed), when it is one. */
    static Optional<Instant> date(String value) {
        String v = COMMENT.matcher(value).replaceAll("").strip().replaceAll("\\s+", " ");
        v = v.replaceFirst(
                "^[A-Za-z]{3}, ?", ""); // a wrong day of the week (as in RFC 5965's example) is no reason to fail
        Matcher zone = US_ZONE.matcher(v);
        if (zone.find()) {
            v = v.substring(0, zone.start()) + " " + US_ZONES.get(zone.group(1).toUpperCase(Locale.ROOT));
        }
        try {
            return Optional.of(
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(v));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
