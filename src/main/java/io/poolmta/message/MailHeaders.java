package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the events of a message say about its header section, as SES's event JSON does: every
 * field as delivered (name as written, value unfolded and trimmed, encoded-words left as they are),
 * in order, while names and values together stay within {@link #LIMIT} characters, with
 * {@code truncated} set when later fields were left out; and the {@link Common} headers SES lists
 * apart. {@link #of} reads only the header section of content that was accepted, so it costs the
 * same at intake and when an event is made from stored content, and gives the same answer both
 * times ({@link #ofHead} does with the first bytes of the content, when the header section fits in
 * them); it never fails (content whose header cannot be read gives {@link #UNREADABLE}).
 */
public record MailHeaders(List<Field> fields, boolean truncated, Common common) {
    /** SES truncates the headers of an event beyond 10 KB. */
    public static final int LIMIT = 10 * 1024;
    /** The summary of content whose header section could not be read: no fields, marked truncated. */
    public static final MailHeaders UNREADABLE = new MailHeaders(List.of(), true, Common.NONE);

    public MailHeaders {
        fields = List.copyOf(fields);
        Objects.requireNonNull(common);
    }

    /** One header field. */
    public record Field(String name, String value) {}

    /**
     * SES's {@code commonHeaders}: the mailboxes of From, Reply-To, To and Cc (each
     * {@code addr-spec} or {@code "display name" <addr-spec>}, group names left out), and the
     * values of Subject, Date and Message-ID. {@code fromDomain} is the domain of the first From
     * mailbox ({@link Mailbox#domain()}), empty when it is no valid address.
     */
    public record Common(
            List<String> from,
            List<String> replyTo,
            List<String> to,
            List<String> cc,
            Optional<String> subject,
            Optional<String> date,
            Optional<String> messageId,
            Optional<String> fromDomain) {
        static final Common NONE = new Common(
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        public Common {
            from = List.copyOf(from);
            replyTo = List.copyOf(replyTo);
            to = List.copyOf(to);
            cc = List.copyOf(cc);
            Objects.requireNonNull(subject);
            Objects.requireNonNull(date);
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(fromDomain);
        }
    }

    /** The summary of {@code content}'s header section (CRLF lines, as PoolMTA accepted and stored it). */
    public static MailHeaders of(byte[] content) {
        return of(content, false);
    }

    /**
     * The summary from the first bytes of the content ({@code head}), which may end before the
     * header section does: then the fields found in it, marked truncated.
     */
    public static MailHeaders ofHead(byte[] head) {
        return of(head, true);
    }

    private static MailHeaders of(byte[] content, boolean partial) {
        HeaderBlock block;
        try {
            block = HeaderBlock.readHeader(content, partial);
        } catch (PoolMtaException e) {
            return UNREADABLE;
        }
        List<Field> fields = new ArrayList<>(block.fields().size());
        boolean truncated = false;
        int size = 0;
        List<AddressList.Entry> from = List.of();
        List<AddressList.Entry> replyTo = List.of();
        List<AddressList.Entry> to = List.of();
        List<AddressList.Entry> cc = List.of();
        Optional<String> subject = Optional.empty();
        Optional<String> date = Optional.empty();
        Optional<String> messageId = Optional.empty();
        for (HeaderBlock.Field field : block.fields()) {
            String value = field.value(content);
            size += field.name().length() + value.length();
            truncated |= size > LIMIT;
            if (!truncated) {
                fields.add(new Field(field.name(), value));
            }
            if (field.is("From")) {
                from = AddressList.parse(value);
            } else if (field.is("Reply-To")) {
                replyTo = AddressList.parse(value);
            } else if (field.is("To")) {
                to = AddressList.parse(value);
            } else if (field.is("Cc")) {
                cc = AddressList.parse(value);
            } else if (field.is("Subject")) {
                subject = Optional.of(value);
            } else if (field.is("Date")) {
                date = Optional.of(value);
            } else if (field.is("Message-ID")) {
                messageId = Optional.of(value);
            }
        }
        Common common = new Common(
                mailboxes(from),
                mailboxes(replyTo),
                mailboxes(to),
                mailboxes(cc),
                subject,
                date,
                messageId,
                from.stream().findFirst().flatMap(MailHeaders::domain));
        return new MailHeaders(fields, truncated || block.headerEnd() < 0, common);
    }

    private static List<String> mailboxes(List<AddressList.Entry> entries) {
        List<String> out = new ArrayList<>(entries.size());
        for (AddressList.Entry entry : entries) {
            if (entry.addrSpec().isEmpty()) {
                continue;
            }
            String name = entry.displayName();
            out.add(name == null || name.isBlank() ? entry.addrSpec() : phrase(name) + " <" + entry.addrSpec() + ">");
        }
        return out;
    }

    /** A display name as a phrase: as it is when it has no special characters, else quoted. */
    private static String phrase(String name) {
        boolean plain = true;
        for (int i = 0; i < name.length() && plain; i++) {
            plain = "()<>[]:;@\\,.\"".indexOf(name.charAt(i)) < 0;
        }
        return plain ? name : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Optional<String> domain(AddressList.Entry entry) {
        if (!entry.wellFormed()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Mailbox(Optional.empty(), entry.addrSpec()).domain());
        } catch (PoolMtaException notAnAddress) {
            return Optional.empty();
        }
    }
}
