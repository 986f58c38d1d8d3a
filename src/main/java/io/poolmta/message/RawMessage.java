package io.poolmta.message;

import io.poolmta.common.Bytes;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.io.ByteArrayOutputStream;
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
 * deliver. {@link #parse} normalises bare LF to CRLF; takes out the {@code X-SES-CONFIGURATION-SET}
 * field (its unfolded, trimmed value is {@link #configurationSet()}), the
 * {@code X-SES-MESSAGE-TAGS} fields ("name=value, name2=value2", into {@link #tags()}) and the Bcc
 * fields; adds Message-ID and Date at the end of the header section when the message has none; and
 * keeps every other byte exactly as it was. It also reports the From/To/Cc/Bcc addresses so a
 * caller without a Destination can build the envelope. Fails with MESSAGE_REJECTED beyond
 * {@link #MAX_SIZE} bytes or with a line over 998 octets, with BAD_REQUEST when there is no header
 * section ending in a blank line, or for bad tags or two different configuration sets.
 */
public record RawMessage(byte[] bytes, Optional<String> configurationSet, List<MessageTag> tags, HeaderAddresses addresses) {
    /** SES's limit for a message through the v2 API or SMTP: 40 MiB. */
    public static final int MAX_SIZE = 40 * 1024 * 1024;
    public static final String CONFIGURATION_SET_HEADER = "X-SES-CONFIGURATION-SET";
    public static final String MESSAGE_TAGS_HEADER = "X-SES-MESSAGE-TAGS";

    public RawMessage {
        bytes = bytes.clone();
        Objects.requireNonNull(configurationSet);
        tags = List.copyOf(tags);
        Objects.requireNonNull(addresses);
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

        Set<String> configurationSets = new LinkedHashSet<>();
        List<MessageTag> tags = new ArrayList<>();
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        List<String> bcc = new ArrayList<>();
        boolean hasMessageId = false;
        boolean hasDate = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 160);
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
                out.write(message, field.start(), field.end() - field.start());
            }
        }
        if (configurationSets.size() > 1) {
            throw PoolMtaException.badRequest("Raw message names more than one configuration set in "
                    + CONFIGURATION_SET_HEADER + ": " + String.join(", ", configurationSets) + ".");
        }
        if (!hasMessageId) {
            out.writeBytes(("Message-ID: " + messageIdHeader + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (!hasDate) {
            out.writeBytes(("Date: " + MailDates.format(now) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(message, block.headerEnd(), message.length - block.headerEnd());
        return new RawMessage(out.toByteArray(),
                configurationSets.isEmpty() ? Optional.empty() : Optional.of(configurationSets.iterator().next()), tags,
                new HeaderAddresses(from, to, cc, bcc));
    }

    /** A copy of the message bytes, ready for the spool. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawMessage r && Arrays.equals(bytes, r.bytes) && configurationSet.equals(r.configurationSet)
                && tags.equals(r.tags) && addresses.equals(r.addresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configurationSet, tags, addresses) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RawMessage[" + bytes.length + " bytes, configurationSet=" + configurationSet.orElse("-") + ", tags=" + tags
                + ", " + addresses + "]";
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
                throw PoolMtaException.badRequest(MESSAGE_TAGS_HEADER + " entry '" + UserText.shown(pair)
                        + "' is not of the form name=value.");
            }
            tags.add(new MessageTag(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip()));
        }
        return tags;
    }

    private static List<String> addrSpecs(String value) {
        return AddressList.parse(value).stream().map(AddressList.Entry::addrSpec).toList();
    }

    /** The bytes with every LF that lacks a CR before it turned into CRLF; the same array when there is none. */
    static byte[] withCrlf(byte[] data) {
        int bare = 0;
        for (int i = Bytes.indexOf(data, 0, data.length, (byte) '\n'); i < data.length;
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

    private static PoolMtaException tooBig(int size) {
        return new PoolMtaException(ErrorKind.MESSAGE_REJECTED, "The message is " + size + " bytes; the limit is "
                + MAX_SIZE + " bytes (40 MiB).");
    }
}
