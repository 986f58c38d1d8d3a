package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SES "Simple" content of a message with its header addresses, ready for {@link MimeBuilder}.
 * Bcc recipients are not part of it: they belong to the envelope only and never to the bytes.
 * Invariants: at least a text or an HTML body; the subject has no line break; at most 15 custom
 * headers (SES), none of them a field PoolMTA sets itself or a control header, and none of the
 * once-only fields twice. Every violation is a BAD_REQUEST that names the culprit.
 */
public record SimpleMessage(
        Mailbox from,
        List<Mailbox> to,
        List<Mailbox> cc,
        List<Mailbox> replyTo,
        Content subject,
        Optional<Content> text,
        Optional<Content> html,
        List<MessageHeader> headers,
        List<Attachment> attachments) {

    public static final int MAX_HEADERS = 15;

    /**
     * Fields a custom header may not set: those SES refuses for Simple content (Bcc, Cc,
     * Content-Disposition, Content-Type, Date, From, Message-ID, MIME-Version, Reply-To, Return-Path,
     * Subject, To), Content-Transfer-Encoding (it would contradict the encoding of the body), and
     * PoolMTA's control headers, which would leak into the delivered message.
     */
    static final Set<String> RESERVED = Set.of(
            "bcc",
            "cc",
            "content-disposition",
            "content-type",
            "content-transfer-encoding",
            "date",
            "from",
            "message-id",
            "mime-version",
            "reply-to",
            "return-path",
            "subject",
            "to",
            "x-ses-configuration-set",
            "x-ses-message-tags");

    /** Fields SES accepts at most once in a message (SES developer guide, "header fields"). */
    static final Set<String> ONCE_ONLY = Set.of(
            "accept-language",
            "acceptlanguage",
            "archived-at",
            "auto-submitted",
            "bounces-to",
            "comments",
            "content-alternative",
            "content-base",
            "content-class",
            "content-description",
            "content-duration",
            "content-id",
            "content-language",
            "content-length",
            "content-location",
            "content-md5",
            "delivered-to",
            "disposition-notification-options",
            "disposition-notification-to",
            "dkim-signature",
            "domainkey-signature",
            "errors-to",
            "importance",
            "in-reply-to",
            "keywords",
            "list-archive",
            "list-help",
            "list-id",
            "list-owner",
            "list-post",
            "list-subscribe",
            "list-unsubscribe",
            "list-unsubscribe-post",
            "message-context",
            "organization",
            "original-from",
            "original-message-id",
            "original-recipient",
            "original-subject",
            "precedence",
            "priority",
            "references",
            "return-receipt-to",
            "sender",
            "solicitation",
            "sensitivity",
            "thread-index",
            "thread-topic",
            "user-agent",
            "vbr-info");

    public SimpleMessage {
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        replyTo = List.copyOf(replyTo);
        Objects.requireNonNull(subject, "subject");
        if (subject.data().indexOf('\r') >= 0 || subject.data().indexOf('\n') >= 0) {
            throw PoolMtaException.badRequest("The Subject must not contain line breaks (CR or LF).");
        }
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        if (text.isEmpty() && html.isEmpty()) {
            throw PoolMtaException.badRequest("The message Body must have Text, Html or both.");
        }
        headers = List.copyOf(headers);
        checkHeaders(headers);
        attachments = List.copyOf(attachments);
    }

    private static void checkHeaders(List<MessageHeader> headers) {
        if (headers.size() > MAX_HEADERS) {
            throw PoolMtaException.badRequest(
                    "A message may have at most " + MAX_HEADERS + " custom Headers, got " + headers.size() + ".");
        }
        Set<String> seen = new HashSet<>();
        for (MessageHeader header : headers) {
            String key = header.name().toLowerCase(Locale.ROOT);
            if (RESERVED.contains(key)) {
                throw PoolMtaException.badRequest("Header " + header.name()
                        + " cannot be set as a custom header: PoolMTA sets it from the request's own fields.");
            }
            if (!seen.add(key) && ONCE_ONLY.contains(key)) {
                throw PoolMtaException.badRequest("Header " + header.name() + " may appear only once in a message.");
            }
        }
    }
}
