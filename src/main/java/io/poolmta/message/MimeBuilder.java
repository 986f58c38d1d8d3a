package io.poolmta.message;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Renders a {@link SimpleMessage} as RFC 5322 bytes with CRLF line endings and no line over 998
 * octets. Header fields: Date (the clock's now, UTC), From, To, Cc, Reply-To, Message-ID
 * ({@code <messageId@domain>}), Subject (RFC 2047 encoded-words when not ASCII), MIME-Version, then
 * the custom headers; never Bcc. Structure: text only → text/plain; HTML only → text/html; both →
 * multipart/alternative; INLINE attachments next to an HTML body → multipart/related around it;
 * other attachments → multipart/mixed around the whole body. Text is written in its charset, 7bit
 * when ASCII, else quoted-printable, or base64 when mostly non-ASCII. Built on Angus Mail (Jakarta
 * Mail) for header encoding and the MIME encoders. A message over {@link RawMessage#MAX_SIZE}
 * fails with MESSAGE_REJECTED; the builder has no other failure for a valid {@link SimpleMessage}.
 */
public final class MimeBuilder {
    private static final Pattern DOMAIN = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Session SESSION = session();

    private final Clock clock;
    private final String messageIdDomain;

    /** {@code messageIdDomain} is the right-hand side of every Message-ID, e.g. "mail.example.net". */
    public MimeBuilder(Clock clock, String messageIdDomain) {
        this.clock = Objects.requireNonNull(clock);
        if (messageIdDomain == null || messageIdDomain.length() > 253 || !DOMAIN.matcher(messageIdDomain).matches()) {
            throw new IllegalArgumentException("Not a host name for Message-IDs: " + messageIdDomain);
        }
        this.messageIdDomain = messageIdDomain;
    }

    /** The Message-ID header value this builder gives the message with PoolMTA id {@code messageId}. */
    public String messageIdHeader(String messageId) {
        return "<" + messageId + "@" + messageIdDomain + ">";
    }

    public byte[] build(SimpleMessage message, String messageId) {
        Objects.requireNonNull(message);
        Objects.requireNonNull(messageId);
        try {
            MimeMessage mime = new StampedMessage(SESSION, messageIdHeader(messageId));
            mime.setHeader("Date", MailDates.format(clock.instant()));
            mime.setHeader("From", addresses("From", List.of(message.from())));
            setAddresses(mime, "To", message.to());
            setAddresses(mime, "Cc", message.cc());
            setAddresses(mime, "Reply-To", message.replyTo());
            mime.setHeader("Subject", subject(message.subject()));
            for (MessageHeader header : message.headers()) {
                mime.addHeader(header.name(), header.value());
            }
            body(message).writeInto(mime);
            mime.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            mime.writeTo(out);
            if (out.size() > RawMessage.MAX_SIZE) {
                throw new PoolMtaException(ErrorKind.MESSAGE_REJECTED, "The message is " + out.size()
                        + " bytes once encoded; the limit is " + RawMessage.MAX_SIZE + " bytes (40 MiB).");
            }
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IllegalStateException("MIME rendering failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one node of the MIME tree into a part (or the message itself). */
    private interface Node {
        void writeInto(MimePart part) throws MessagingException, IOException;
    }

    private static Node body(SimpleMessage message) {
        List<Node> alternatives = new ArrayList<>();
        message.text().ifPresent(text -> alternatives.add(text(text, "plain")));
        message.html().ifPresent(html -> alternatives.add(text(html, "html")));
        Node body = alternatives.size() == 1 ? alternatives.getFirst() : multipart("alternative", null, alternatives);
        String bodyType = alternatives.size() == 1 ? (message.html().isPresent() ? "text/html" : "text/plain")
                : "multipart/alternative";

        List<Node> related = new ArrayList<>(List.of(body));
        List<Node> mixed = new ArrayList<>();
        for (Attachment attachment : message.attachments()) {
            boolean inline = attachment.disposition() == Attachment.Disposition.INLINE && message.html().isPresent();
            (inline ? related : mixed).add(attachment(attachment));
        }
        if (related.size() > 1) {
            body = multipart("related", bodyType, related);
        }
        if (!mixed.isEmpty()) {
            mixed.addFirst(body);
            body = multipart("mixed", null, mixed);
        }
        return body;
    }

    private static Node text(Content content, String subtype) {
        byte[] bytes = content.canonicalLines().getBytes(content.charset());
        String type = "text/" + subtype + "; charset=" + content.charset().name();
        return part -> {
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
            part.setHeader("Content-Type", type);
            part.setHeader("Content-Transfer-Encoding", TransferEncodings.forText(bytes));
        };
    }

    private static Node attachment(Attachment attachment) {
        return part -> {
            byte[] bytes = attachment.contentView();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, attachment.contentType())));
            part.setHeader("Content-Type", attachment.contentType());
            part.setDisposition(attachment.disposition().name().toLowerCase(Locale.ROOT));
            part.setFileName(attachment.fileName());
            if (attachment.contentId().isPresent()) {
                part.setHeader("Content-ID", "<" + attachment.contentId().get() + ">");
            }
            if (attachment.description().isPresent()) {
                part.setHeader("Content-Description",
                        MimeUtility.fold(21, MimeUtility.encodeText(attachment.description().get(), "UTF-8", null)));
            }
            part.setHeader("Content-Transfer-Encoding",
                    TransferEncodings.forAttachment(attachment.transferEncoding(), bytes));
        };
    }

    /** A multipart node; {@code relatedType} is the "type" parameter RFC 2387 asks of multipart/related. */
    private static Node multipart(String subtype, String relatedType, List<Node> children) {
        return part -> {
            MimeMultipart multipart = new MimeMultipart(subtype);
            for (Node child : children) {
                MimeBodyPart bodyPart = new MimeBodyPart();
                child.writeInto(bodyPart);
                multipart.addBodyPart(bodyPart);
            }
            part.setContent(multipart);
            if (relatedType != null) {
                ContentType type = new ContentType(multipart.getContentType());
                type.setParameter("type", relatedType);
                part.setHeader("Content-Type", type.toString());
            }
        };
    }

    private static void setAddresses(MimeMessage mime, String field, List<Mailbox> mailboxes) throws MessagingException {
        if (!mailboxes.isEmpty()) {
            mime.setHeader(field, addresses(field, mailboxes));
        }
    }

    /** The folded value of an address field; display names quoted or RFC 2047-encoded as needed. */
    private static String addresses(String field, List<Mailbox> mailboxes) throws MessagingException {
        InternetAddress[] addresses = new InternetAddress[mailboxes.size()];
        for (int i = 0; i < addresses.length; i++) {
            Mailbox mailbox = mailboxes.get(i);
            try {
                addresses[i] = new InternetAddress(mailbox.address(), mailbox.displayName().orElse(null), "UTF-8");
            } catch (UnsupportedEncodingException e) {
                throw new AddressException(e.getMessage());
            }
        }
        return InternetAddress.toString(addresses, field.length() + 2);
    }

    /** The folded Subject: as written when ASCII, else (or when a word is too long to fold) encoded-words. */
    private static String subject(Content subject) throws UnsupportedEncodingException {
        String text = subject.data();
        boolean ascii = text.chars().allMatch(c -> c >= ' ' && c < 127 || c == '\t');
        if (!ascii) {
            return MimeUtility.fold(9, MimeUtility.encodeText(text, subject.charset().name(), null));
        }
        for (String word : text.split("[ \t]")) {
            if (word.length() > 900) {
                return base64Words(text, subject.charset());
            }
        }
        return MimeUtility.fold(9, text);
    }

    /** ASCII text as B encoded-words of 40 characters, one per line; Jakarta leaves ASCII unencoded. */
    private static String base64Words(String text, Charset charset) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += 40) {
            String chunk = text.substring(i, Math.min(text.length(), i + 40));
            out.append(out.isEmpty() ? "" : "\r\n ").append("=?").append(charset.name()).append("?B?")
                    .append(Base64.getEncoder().encodeToString(chunk.getBytes(charset))).append("?=");
        }
        return out.toString();
    }

    private static Session session() {
        Properties properties = new Properties();
        // addresses with a UTF-8 local part (RFC 6532) are written as UTF-8 instead of being mangled
        properties.setProperty("mail.mime.allowutf8", "true");
        return Session.getInstance(properties);
    }

    /** A MimeMessage that takes PoolMTA's Message-ID instead of inventing one from the host name. */
    private static final class StampedMessage extends MimeMessage {
        private final String messageIdHeader;

        StampedMessage(Session session, String messageIdHeader) {
            super(session);
            this.messageIdHeader = messageIdHeader;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageIdHeader);
        }
    }
}
