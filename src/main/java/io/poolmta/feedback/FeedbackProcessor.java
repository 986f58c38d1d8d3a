package io.poolmta.feedback;

import io.poolmta.events.EventPublisher;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.message.ReturnPath;
import io.poolmta.provider.BounceClassifier;
import io.poolmta.provider.BounceVerdict;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a report that came to a return path into events: a Bounce per (bounce type and sub-type,
 * sending IP) with each bounced recipient's action, status and diagnostic, or a Complaint per
 * sending IP, published like the message's other events. Only the return path ties a report to a
 * message: a recipient the report names must be one of that message's delivered recipients
 * (anything the report's embedded headers claim about other messages or accounts is never looked
 * at); a report for an unknown message, a recipient not in the message, a delay notice or an
 * unreadable report has no effect and is logged. With the sending identity's feedback forwarding
 * on, the report is also forwarded to the sender ({@link NotificationForwarder}). Never throws.
 */
public final class FeedbackProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackProcessor.class);

    /** What came of one report: the events published (0 when it had no effect) and why. */
    public record Outcome(EventType type, List<String> recipients, String note) {
        static Outcome none(String note) {
            return new Outcome(null, List.of(), note);
        }

        public boolean hadEffect() {
            return type != null;
        }
    }

    private final SentLedger ledger;
    private final EventPublisher events;
    private final BounceClassifier classifier;
    private final NotificationForwarder forwarder;
    private final Clock clock;

    public FeedbackProcessor(
            SentLedger ledger,
            EventPublisher events,
            BounceClassifier classifier,
            NotificationForwarder forwarder,
            Clock clock) {
        this.ledger = ledger;
        this.events = events;
        this.classifier = classifier;
        this.forwarder = forwarder;
        this.clock = clock;
    }

    /** The report {@code content} that came to {@code returnPath}. */
    public Outcome process(ReturnPath returnPath, byte[] content) {
        try {
            Optional<SentMessage> sent = ledger.find(returnPath.messageId());
            if (sent.isEmpty()) {
                return ignored(
                        returnPath, "no message " + returnPath.messageId() + " was delivered in the retention window");
            }
            SentMessage message = sent.get();
            String feedbackId = feedbackId(message.messageId(), content);
            Instant now = clock.instant();
            Outcome outcome = switch (ReportParser.parse(content)) {
                case FeedbackReport.DeliveryStatus ds ->
                    bounces(message, ds.recipients(), ds.reportingMta(), feedbackId, now);
                case FeedbackReport.PlainText pt ->
                    bounces(
                            message,
                            PlainTextBounces.read(pt.subject(), pt.text(), message.recipients()),
                            Optional.empty(),
                            feedbackId,
                            now);
                case FeedbackReport.Complaint c -> complaint(message, c, feedbackId, now);
            };
            if (!outcome.hadEffect()) {
                return ignored(returnPath, outcome.note());
            }
            LOG.info(
                    "{} of message {} (account {}) for {}",
                    outcome.type().jsonName(),
                    message.messageId(),
                    message.accountId(),
                    outcome.recipients());
            forwarder.forward(message, outcome.type(), outcome.recipients(), content);
            return outcome;
        } catch (RuntimeException e) {
            LOG.warn("could not process a report for {}", returnPath.address(), e);
            return Outcome.none("failed: " + e);
        }
    }

    private static Outcome ignored(ReturnPath returnPath, String why) {
        LOG.info("report to {} has no effect: {}", returnPath.address(), why);
        return Outcome.none(why);
    }

    private record Group(BounceVerdict verdict, String ip) {}

    private Outcome bounces(
            SentMessage message,
            List<FeedbackReport.ReportedRecipient> reported,
            Optional<String> reportingMta,
            String feedbackId,
            Instant now) {
        Map<Group, List<MailEvent.BouncedRecipient>> groups = new LinkedHashMap<>();
        Set<String> done = new LinkedHashSet<>();
        List<String> notOurs = new ArrayList<>();
        for (FeedbackReport.ReportedRecipient r : reported) {
            if (!r.action().equals("failed")) {
                continue; // delayed, delivered, relayed, expanded: no bounce
            }
            Optional<String> rcpt = message.recipient(r.finalRecipient())
                    .or(() -> r.originalRecipient().flatMap(message::recipient));
            if (rcpt.isEmpty()) {
                notOurs.add(r.finalRecipient());
                continue;
            }
            if (!done.add(rcpt.get())) {
                continue;
            }
            String reply = r.evidence().replaceFirst("(?i)^\\s*smtp\\s*;\\s*", "");
            BounceVerdict verdict = classifier.classify(r.status(), BounceClassifier.replyCode(reply), reply);
            Optional<String> status = r.status().or(() -> switch (verdict.bounceType()) {
                case BounceVerdict.PERMANENT -> Optional.of("5.0.0");
                case BounceVerdict.TRANSIENT -> Optional.of("4.0.0");
                default -> Optional.empty();
            });
            groups.computeIfAbsent(new Group(verdict, message.recipientIps().get(rcpt.get())), g -> new ArrayList<>())
                    .add(new MailEvent.BouncedRecipient(rcpt.get(), "failed", status, r.diagnosticCode()));
        }
        if (!notOurs.isEmpty()) {
            LOG.warn(
                    "a report for message {} (account {}) names recipients the message did not have: {}",
                    message.messageId(),
                    message.accountId(),
                    notOurs.size() > 5 ? notOurs.subList(0, 5) + " …" : notOurs);
        }
        if (groups.isEmpty()) {
            return Outcome.none(
                    notOurs.isEmpty()
                            ? "no failed recipient of the message in the report"
                            : "the report names no recipient of the message");
        }
        groups.forEach((group, rcpts) -> events.publish(new MailEvent(
                EventType.BOUNCE,
                now,
                message.envelope(),
                rcpts.stream().map(MailEvent.BouncedRecipient::emailAddress).toList(),
                ip(group.ip()),
                message.poolName(),
                Optional.empty(),
                Optional.empty(),
                new MailEvent.Bounce(
                        group.verdict().bounceType(),
                        group.verdict().bounceSubType(),
                        rcpts,
                        reportingMta,
                        Optional.of(feedbackId)),
                message.headers())));
        return new Outcome(EventType.BOUNCE, List.copyOf(done), "bounced");
    }

    private Outcome complaint(SentMessage message, FeedbackReport.Complaint report, String feedbackId, Instant now) {
        Set<String> rcpts = new LinkedHashSet<>();
        report.originalRcptTo().forEach(a -> message.recipient(a).ifPresent(rcpts::add));
        if (rcpts.isEmpty()) {
            report.embeddedRecipients().forEach(a -> message.recipient(a).ifPresent(rcpts::add));
        }
        if (rcpts.isEmpty()
                && report.originalRcptTo().isEmpty()
                && message.recipientIps().size() == 1) {
            rcpts.addAll(message.recipients()); // a redacted report of a message with one recipient
        }
        if (rcpts.isEmpty()) {
            LOG.warn(
                    "a complaint about message {} (account {}) names no recipient of the message: {}",
                    message.messageId(),
                    message.accountId(),
                    report.originalRcptTo());
            return Outcome.none("the complaint names no recipient of the message");
        }
        Map<String, List<String>> byIp = new LinkedHashMap<>();
        rcpts.forEach(r -> byIp.computeIfAbsent(message.recipientIps().get(r), ip -> new ArrayList<>())
                .add(r));
        byIp.forEach((ip, list) -> events.publish(new MailEvent(
                EventType.COMPLAINT,
                now,
                message.envelope(),
                list,
                ip(ip),
                message.poolName(),
                Optional.empty(),
                Optional.empty(),
                new MailEvent.Complaint(report.feedbackType(), report.userAgent(), report.arrivalDate(), feedbackId),
                message.headers())));
        return new Outcome(EventType.COMPLAINT, List.copyOf(rcpts), "complained");
    }

    private static Optional<String> ip(String ip) {
        return ip == null || ip.isEmpty() ? Optional.empty() : Optional.of(ip);
    }

    /** One id per report: the message id and the start of the report's SHA-256, so a report sent twice has one id. */
    static String feedbackId(String messageId, byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return messageId + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
