package io.poolmta.message;

import io.poolmta.common.Bytes;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A message given whole (SES Raw content, already base64-decoded, or SMTP DATA), made ready to
 * deliver. {@link #parse} settles the line structure first: bare LF becomes CRLF, and a bare CR in
 * the header section is refused (see {@link HeaderBlock}), so every later step (the header reads
 * and removals here, the events, the SMTP client, the receiver) sees the same header lines. It
 * then checks RFC 5322's header counts (exactly one From; at most one each of Sender, Reply-To,
 * To, Cc, Bcc, Subject, Message-ID, Date, In-Reply-To and References); takes out the
 * {@code X-SES-CONFIGURATION-SET} field (its unfolded, trimmed value is {@link #configurationSet()}),
 * the {@code X-SES-MESSAGE-TAGS} fields ("name=value, name2=value2", into {@link #tags()}) and the
 * Bcc field; adds Message-ID and Date at the end of the header section when the message has none;
 * and keeps every other byte exactly as it was. It also reports the From/Sender/To/Cc/Bcc addresses so a
 * caller without a Destination can build the envelope, and the {@link MailHeaders} of the result
 * for its events. Fails with MESSAGE_REJECTED beyond {@link #MAX_SIZE} bytes, with a line over 998
 * octets, a bare CR in the header section or a header count RFC 5322 forbids; with BAD_REQUEST
 * when there is no header section ending in a blank line, or for bad tags or two different
 * configuration sets.
 * <p>
 * No copies beyond the one the header changes need: {@link #parse} takes {@code data} over (the
 * caller does not change it afterwards) and the result shares it when nothing in the header
 * section changes; {@link #bytes()} is the record's own array, which nobody changes.
 */
public record RawMessage(
        byte[] bytes,
        Optional<String> configurationSet,
        List<MessageTag> tags,
        HeaderAddresses addresses,
        MailHeaders headers) {
    /** SES's limit for a message through the v2 API or SMTP: 40 MiB. */
    public static final int MAX_SIZE = 40 * 1024 * 1024;

    public static final String CONFIGURATION_SET_HEADER = "X-SES-CONFIGURATION-SET";
    public static final String MESSAGE_TAGS_HEADER = "X-SES-MESSAGE-TAGS";
    /** Fields RFC 5322 (section 3.6) allows at most once; From must be there exactly once. */
    static final List<String> AT_MOST_ONCE = List.of(
            "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Message-ID", "Date", "In-Reply-To", "References");

    public RawMessage {
        Objects.requireNonNull(bytes);
        Objects.requireNonNull(configurationSet);
        tags = List.copyOf(tags);
        Objects.requireNonNull(addresses);
        Objects.requireNonNull(headers);
    }

    /**
     * Parses {@code data}; {@code messageIdHeader} (like {@code <id@domain>}, see
     * {@link MimeBuilder#messageIdHeader}) and {@code now} are used only when the message lacks a
     * Message-ID or a Date.
     */
    public static RawMessage parse(byte[] data, String messageIdHeader, Instant now) {
        Objects.requireNonNull(data);
        Objects.requireNonNull(now);
        if (!isMessageIdHeader(messageIdHeader)) {
            throw new IllegalArgumentException("Not a Message-ID header value: " + messageIdHeader);
        }
        if (data.length > MAX_SIZE) {
            throw tooBig(data.length);
        }
        byte[] message = withCrlf(data);
        if (message.length > MAX_SIZE) {
            throw tooBig(message.length);
        }
        HeaderBlock block = HeaderBlock.read(message);
        checkCounts(block);

        Set<String> configurationSets = new LinkedHashSet<>();
        List<MessageTag> tags = new ArrayList<>();
        List<String> from = new ArrayList<>();
        List<String> sender = new ArrayList<>();
        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        List<String> bcc = new ArrayList<>();
        boolean hasMessageId = false;
        boolean hasDate = false;
        List<HeaderBlock.Field> kept = new ArrayList<>(block.fields().size());
        for (HeaderBlock.Field field : block.fields()) {
            boolean keep = true;
            if (field.is(CONFIGURATION_SET_HEADER)) {
                String name = field.value(message);
                if (!name.isEmpty()) {
                    configurationSets.add(name);
                }
                keep = false;
            } else if (field.is(MESSAGE_TAGS_HEADER)) {
                tags.addAll(tags(field.value(message)));
                keep = false;
            } else if (field.is("Bcc")) {
                bcc.addAll(addrSpecs(field.value(message)));
                keep = false;
            } else if (field.is("From")) {
                from.addAll(addrSpecs(field.value(message)));
            } else if (field.is("Sender")) {
                sender.addAll(addrSpecs(field.value(message)));
            } else if (field.is("To")) {
                to.addAll(addrSpecs(field.value(message)));
            } else if (field.is("Cc")) {
                cc.addAll(addrSpecs(field.value(message)));
            } else if (field.is("Message-ID")) {
                hasMessageId = true;
            } else if (field.is("Date")) {
                hasDate = true;
            }
            if (keep) {
                kept.add(field);
            }
        }
        if (configurationSets.size() > 1) {
            throw PoolMtaException.badRequest("Raw message names more than one configuration set in "
                    + CONFIGURATION_SET_HEADER + ": " + String.join(", ", configurationSets) + ".");
        }
        String added = (hasMessageId ? "" : "Message-ID: " + messageIdHeader + "\r\n")
                + (hasDate ? "" : "Date: " + MailDates.format(now) + "\r\n");
        byte[] result = kept.size() == block.fields().size() && added.isEmpty()
                ? message
                : rewritten(message, kept, added.getBytes(StandardCharsets.US_ASCII), block.headerEnd());
        return new RawMessage(
                result,
                configurationSets.isEmpty()
                        ? Optional.empty()
                        : Optional.of(configurationSets.iterator().next()),
                tags,
                new HeaderAddresses(from, sender, to, cc, bcc),
                MailHeaders.of(result));
    }

    public int size() {
        return bytes.length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawMessage r
                && Arrays.equals(bytes, r.bytes)
                && configurationSet.equals(r.configurationSet)
                && tags.equals(r.tags)
                && addresses.equals(r.addresses)
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configurationSet, tags, addresses, headers) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RawMessage[" + bytes.length + " bytes, configurationSet=" + configurationSet.orElse("-") + ", tags="
                + tags + ", " + addresses + "]";
    }

    /** The kept fields, then {@code added}, then the rest from {@code headerEnd}: written once, at the exact size. */
    private static byte[] rewritten(byte[] message, List<HeaderBlock.Field> kept, byte[] added, int headerEnd) {
        long size = added.length + (long) message.length - headerEnd;
        for (HeaderBlock.Field field : kept) {
            size += field.end() - field.start();
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw tooBig(size);
        }
        byte[] out = new byte[(int) size];
        int at = 0;
        for (HeaderBlock.Field field : kept) {
            System.arraycopy(message, field.start(), out, at, field.end() - field.start());
            at += field.end() - field.start();
        }
        System.arraycopy(added, 0, out, at, added.length);
        at += added.length;
        System.arraycopy(message, headerEnd, out, at, message.length - headerEnd);
        return out;
    }

    /**
     * {@code <left@right>}: both sides non-empty, every character printable ASCII other than '<'
     * and '>' (the regex {@code <[!-~&&[^<>]]+@[!-~&&[^<>]]+>}, written out).
     */
    static boolean isMessageIdHeader(String value) {
        int n = value == null ? 0 : value.length();
        if (n < 5 || value.charAt(0) != '<' || value.charAt(n - 1) != '>') {
            return false;
        }
        boolean at = false;
        for (int i = 1; i < n - 1; i++) {
            char c = value.charAt(i);
            if (c < '!' || c > '~' || c == '<' || c == '>') {
                return false;
            }
            at |= c == '@' && i > 1 && i < n - 2;
        }
        return at;
    }

    /**
     * Refuses a header section with no From field or more than one, or with a second field of a
     * name in {@link #AT_MOST_ONCE}: a receiver may read either copy, so such a message says two
     * things at once (two senders, a hidden second recipient list), and large mailbox providers
     * refuse it.
     */
    private static void checkCounts(HeaderBlock block) {
        int from = 0;
        int[] counts = new int[AT_MOST_ONCE.size()];
        for (HeaderBlock.Field field : block.fields()) {
            if (field.is("From")) {
                from++;
                continue;
            }
            for (int i = 0; i < counts.length; i++) {
                if (field.is(AT_MOST_ONCE.get(i))) {
                    counts[i]++;
                    break;
                }
            }
        }
        if (from != 1) {
            throw new PoolMtaException(
                    ErrorKind.MESSAGE_REJECTED,
                    "The message has " + (from == 0 ? "no" : from) + " From header field" + (from == 0 ? "" : "s")
                            + "; RFC 5322 requires exactly one.");
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 1) {
                throw new PoolMtaException(
                        ErrorKind.MESSAGE_REJECTED,
                        "The message has " + counts[i] + " " + AT_MOST_ONCE.get(i)
                                + " header fields; RFC 5322 allows at most one.");
            }
        }
    }

    /** Parses "name=value, name2=value2". */
    static List<MessageTag> tags(String value) {
        List<MessageTag> tags = new ArrayList<>();
        for (String item : value.split(",")) {
            String pair = item.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw PoolMtaException.badRequest(
                        MESSAGE_TAGS_HEADER + " entry '" + UserText.shown(pair) + "' is not of the form name=value.");
            }
            tags.add(new MessageTag(
                    pair.substring(0, eq).strip(), pair.substring(eq + 1).strip()));
        }
        return tags;
    }

    private static List<String> addrSpecs(String value) {
        return AddressList.parse(value).stream()
                .map(AddressList.Entry::addrSpec)
                .toList();
    }

    /** The bytes with every LF that lacks a CR before it turned into CRLF; the same array when there is none. */
    static byte[] withCrlf(byte[] data) {
        int bare = 0;
        for (int i = Bytes.indexOf(data, 0, data.length, (byte) '\n');
                i < data.length;
                i = Bytes.indexOf(data, i + 1, data.length, (byte) '\n')) {
            if (i == 0 || data[i - 1] != '\r') {
                bare++;
            }
        }
        if (bare == 0) {
            return data;
        }
        byte[] out = new byte[data.length + bare];
        int j = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                out[j++] = '\r';
            }
            out[j++] = data[i];
        }
        return out;
    }

    private static PoolMtaException tooBig(long size) {
        return new PoolMtaException(
                ErrorKind.MESSAGE_REJECTED,
                "The message is " + size + " bytes; the limit is " + MAX_SIZE + " bytes (40 MiB).");
    }
}
