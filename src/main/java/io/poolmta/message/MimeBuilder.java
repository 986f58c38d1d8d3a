package io.poolmta.message;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
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
 * Mail) for header encoding and the MIME encoders. A message without attachments (the common case)
 * is written by {@link TextMimeWriter}: the bytes Jakarta's MimeMessage writes for it, at a fraction
 * of the cost; one with attachments goes through MimeMessage. A message over
 * {@link RawMessage#MAX_SIZE} fails with MESSAGE_REJECTED; the builder has no other failure for a
 * valid {@link SimpleMessage}.
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
        if (messageIdDomain == null
                || messageIdDomain.length() > 253
                || !DOMAIN.matcher(messageIdDomain).matches()) {
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
        byte[] bytes;
        try {
            bytes = message.attachments().isEmpty()
                    ? buildText(message, messageId)
                    : buildWithJakartaMail(message, messageId);
        } catch (MessagingException e) {
            throw new IllegalStateException("MIME rendering failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > RawMessage.MAX_SIZE) {
            throw new PoolMtaException(
                    ErrorKind.MESSAGE_REJECTED,
                    "The message is " + bytes.length + " bytes once encoded; the limit is " + RawMessage.MAX_SIZE
                            + " bytes (40 MiB).");
        }
        return bytes;
    }

    /** A message without attachments, written directly by {@link TextMimeWriter}. */
    private byte[] buildText(SimpleMessage message, String messageId) throws MessagingException, IOException {
        InternetHeaders headers = new InternetHeaders();
        setHeaders(
                new HeaderTarget() {
                    @Override
                    public void setHeader(String name, String value) {
                        headers.setHeader(name, value);
                    }

                    @Override
                    public void addHeader(String name, String value) {
                        headers.addHeader(name, value);
                    }
                },
                message);
        headers.setHeader("MIME-Version", "1.0");
        headers.setHeader("Message-ID", messageIdHeader(messageId));
        List<TextPart> leaves = new ArrayList<>(2);
        message.text().ifPresent(text -> leaves.add(TextPart.of(text, "plain")));
        message.html().ifPresent(html -> leaves.add(TextPart.of(html, "html")));
        return TextMimeWriter.write(headers, leaves, clock.millis());
    }

    /**
     * The same message through Jakarta Mail's MimeMessage; used for messages with attachments, and
     * by the tests as the reference for {@link TextMimeWriter}.
     */
    byte[] buildWithJakartaMail(SimpleMessage message, String messageId) throws MessagingException, IOException {
        MimeMessage mime = new StampedMessage(SESSION, messageIdHeader(messageId));
        setHeaders(
                new HeaderTarget() {
                    @Override
                    public void setHeader(String name, String value) throws MessagingException {
                        mime.setHeader(name, value);
                    }

                    @Override
                    public void addHeader(String name, String value) throws MessagingException {
                        mime.addHeader(name, value);
                    }
                },
                message);
        body(message).writeInto(mime);
        mime.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mime.writeTo(out);
        return out.toByteArray();
    }

    /** Where {@link #setHeaders} puts the header fields: a MimeMessage or bare InternetHeaders. */
    private interface HeaderTarget {
        void setHeader(String name, String value) throws MessagingException;

        void addHeader(String name, String value) throws MessagingException;
    }

    /** Date, From, To, Cc, Reply-To, Subject and the custom headers, in the order both paths set them. */
    private void setHeaders(HeaderTarget target, SimpleMessage message) throws MessagingException, IOException {
        target.setHeader("Date", MailDates.format(clock.instant()));
        target.setHeader("From", addresses("From", List.of(message.from())));
        setAddresses(target, "To", message.to());
        setAddresses(target, "Cc", message.cc());
        setAddresses(target, "Reply-To", message.replyTo());
        target.setHeader("Subject", subject(message.subject()));
        for (MessageHeader header : message.headers()) {
            target.addHeader(header.name(), header.value());
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
        String bodyType = alternatives.size() == 1
                ? (message.html().isPresent() ? "text/html" : "text/plain")
                : "multipart/alternative";

        List<Node> related = new ArrayList<>(List.of(body));
        List<Node> mixed = new ArrayList<>();
        for (Attachment attachment : message.attachments()) {
            boolean inline = attachment.disposition() == Attachment.Disposition.INLINE
                    && message.html().isPresent();
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
        TextPart text = TextPart.of(content, subtype);
        return part -> {
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(text.bytes(), text.contentType())));
            part.setHeader("Content-Type", text.contentType());
            part.setHeader("Content-Transfer-Encoding", text.transferEncoding());
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
                part.setHeader(
                        "Content-Description",
                        MimeUtility.fold(
                                21,
                                MimeUtility.encodeText(attachment.description().get(), "UTF-8", null)));
            }
            part.setHeader(
                    "Content-Transfer-Encoding", TransferEncodings.forAttachment(attachment.transferEncoding(), bytes));
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

    private static void setAddresses(HeaderTarget target, String field, List<Mailbox> mailboxes)
            throws MessagingException {
        if (!mailboxes.isEmpty()) {
            target.setHeader(field, addresses(field, mailboxes));
        }
    }

    /** The folded value of an address field; display names quoted or RFC 2047-encoded as needed. */
    private static String addresses(String field, List<Mailbox> mailboxes) throws MessagingException {
        InternetAddress[] addresses = new InternetAddress[mailboxes.size()];
        for (int i = 0; i < addresses.length; i++) {
            Mailbox mailbox = mailboxes.get(i);
            try {
                addresses[i] = new InternetAddress(
                        mailbox.address(), mailbox.displayName().orElse(null), "UTF-8");
            } catch (UnsupportedEncodingException e) {
                throw new AddressException(e.getMessage());
            }
        }
        return InternetAddress.toString(addresses, field.length() + 2);
    }

    /** The folded Subject: as written when ASCII, else (or when a word is too long to fold) encoded-words. */
    private static String subject(Content subject) throws UnsupportedEncodingException {
        String text = subject.data();
        int word = 0;
        int longestWord = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                word = 0;
            } else if (c < ' ' || c >= 127) {
                return MimeUtility.fold(
                        9, MimeUtility.encodeText(text, subject.charset().name(), null));
            } else {
                longestWord = Math.max(longestWord, ++word);
            }
        }
        return longestWord > 900 ? base64Words(text, subject.charset()) : MimeUtility.fold(9, text);
    }

    /** ASCII text as B encoded-words of 40 characters, one per line; Jakarta leaves ASCII unencoded. */
    private static String base64Words(String text, Charset charset) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += 40) {
            String chunk = text.substring(i, Math.min(text.length(), i + 40));
            out.append(out.isEmpty() ? "" : "\r\n ")
                    .append("=?")
                    .append(charset.name())
                    .append("?B?")
                    .append(Base64.getEncoder().encodeToString(chunk.getBytes(charset)))
                    .append("?=");
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
