package io.poolmta.identity;

import io.poolmta.common.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Signs messages for one domain with one key (RFC 6376): relaxed/relaxed canonicalization,
 * {@code rsa-sha256} for an RSA key and {@code ed25519-sha256} (RFC 8463) for an Ed25519 key, the
 * header fields SES signs that the message has (each instance, bottom-up) and From once more
 * (oversigned, so no From can be added after signing), {@code d=} the domain, {@code s=} the
 * selector, {@code t=} the signing time. Built once per domain key and shared: {@link #sign} is
 * thread-safe and keeps no state between messages.
 * <p>
 * Input is one message: header fields, an empty line, the body, lines ending in CRLF (a bare LF is
 * read as a line end too). The result is the {@code DKIM-Signature} field, folded, ending in CRLF,
 * to put in front of the message unchanged.
 */
public final class DkimSigner {
    private static final byte[] CRLF = {'\r', '\n'};
    /** The header fields signed when present, in {@code h=} order: SES's set and the list headers. */
    public static final List<String> SIGNED_FIELDS = List.of(
            "from",
            "sender",
            "reply-to",
            "subject",
            "date",
            "message-id",
            "to",
            "cc",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
            "content-id",
            "content-description",
            "resent-date",
            "resent-from",
            "resent-sender",
            "resent-to",
            "resent-cc",
            "resent-message-id",
            "in-reply-to",
            "references",
            "list-id",
            "list-help",
            "list-unsubscribe",
            "list-unsubscribe-post",
            "list-subscribe",
            "list-post",
            "list-owner",
            "list-archive");

    private static final Pattern DOMAIN =
            Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$");
    private static final int B_LINE = 72;

    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private final boolean ed25519;
    private final Clock clock;

    public DkimSigner(String domain, String selector, PrivateKey key, Clock clock) {
        this.domain = Objects.requireNonNull(domain);
        this.selector = DkimKeys.requireValidSelector(selector);
        this.key = Objects.requireNonNull(key);
        this.clock = Objects.requireNonNull(clock);
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("not a lower-case domain name: " + domain);
        }
        String algorithm = key.getAlgorithm();
        this.ed25519 = algorithm.equals("Ed25519") || algorithm.equals("EdDSA");
        if (!ed25519 && !algorithm.equals("RSA")) {
            throw new IllegalArgumentException("DKIM keys are RSA or Ed25519, not " + algorithm);
        }
    }

    public String domain() {
        return domain;
    }

    public String selector() {
        return selector;
    }

    public String sign(byte[] message) {
        return sign(message, 0, message.length);
    }

    /** The DKIM-Signature field (with its CRLF) for {@code message[offset, offset + length)}. */
    public String sign(byte[] message, int offset, int length) {
        int end = offset + length;
        List<int[]> fields = new ArrayList<>(); // {start, end (before CRLF), colon}
        int bodyStart = readHeader(message, offset, end, fields);
        Map<String, List<int[]>> byName = new HashMap<>();
        for (int[] field : fields) {
            String name = fieldName(message, field);
            if (name != null && SIGNED_FIELDS.contains(name)) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(field);
            }
        }
        List<String> names = new ArrayList<>();
        Buffer headers = new Buffer(bodyStart - offset + 2 * fields.size() + 16);
        for (String name : SIGNED_FIELDS) {
            List<int[]> present = byName.getOrDefault(name, List.of());
            for (int i = present.size() - 1; i >= 0; i--) { // the last instance is signed first (RFC 6376 §5.4.2)
                names.add(name);
                relaxedField(message, present.get(i), headers);
                headers.crlf();
            }
            if (name.equals("from")) {
                names.add(name); // oversigned: a From added later breaks the signature
            }
        }
        String bodyHash = Base64.getEncoder().encodeToString(relaxedBodyHash(message, bodyStart, end));
        String field = "DKIM-Signature: v=1; a=" + (ed25519 ? "ed25519-sha256" : "rsa-sha256")
                + "; c=relaxed/relaxed; d=" + domain + "; s=" + selector + ";\r\n\tt="
                + clock.instant().getEpochSecond()
                + "; h=" + String.join(":", names) + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
        byte[] fieldBytes = field.getBytes(StandardCharsets.US_ASCII);
        relaxedField(
                fieldBytes,
                new int[] {0, fieldBytes.length, indexOf(fieldBytes, 0, fieldBytes.length, (byte) ':')},
                headers);
        String b = Base64.getEncoder().encodeToString(signature(headers));
        StringBuilder out = new StringBuilder(field.length() + b.length() + b.length() / B_LINE * 3 + 2).append(field);
        for (int i = 0; i < b.length(); i += B_LINE) {
            if (i > 0) {
                out.append("\r\n\t ");
            }
            out.append(b, i, Math.min(b.length(), i + B_LINE));
        }
        return out.append("\r\n").toString();
    }

    private byte[] signature(Buffer headers) {
        try {
            if (ed25519) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(headers.bytes, 0, headers.size);
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(sha.digest());
                return s.sign();
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(headers.bytes, 0, headers.size);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed for " + domain, e);
        }
    }

    /** Finds the header fields; returns where the body starts (after the empty line), or {@code end}. */
    private static int readHeader(byte[] m, int offset, int end, List<int[]> fields) {
        int pos = offset;
        while (pos < end) {
            if (m[pos] == '\n' || (m[pos] == '\r' && pos + 1 < end && m[pos + 1] == '\n')) {
                return pos + (m[pos] == '\n' ? 1 : 2);
            }
            int start = pos;
            while (true) {
                int lf = indexOf(m, pos, end, (byte) '\n');
                if (lf == end) {
                    fields.add(new int[] {start, end, indexOf(m, start, end, (byte) ':')});
                    return end;
                }
                pos = lf + 1;
                if (pos < end && (m[pos] == ' ' || m[pos] == '\t')) {
                    continue; // a folded continuation line
                }
                int fieldEnd = lf > start && m[lf - 1] == '\r' ? lf - 1 : lf;
                fields.add(new int[] {start, fieldEnd, indexOf(m, start, fieldEnd, (byte) ':')});
                break;
            }
        }
        return end;
    }

    private static int indexOf(byte[] m, int from, int to, byte b) {
        return Bytes.indexOf(m, from, to, b);
    }

    private static String fieldName(byte[] m, int[] field) {
        int colon = field[2];
        if (colon >= field[1]) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > field[0] && (m[nameEnd - 1] == ' ' || m[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        char[] name = new char[nameEnd - field[0]];
        for (int i = 0; i < name.length; i++) {
            byte c = m[field[0] + i];
            name[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c & 0xff);
        }
        return new String(name);
    }

    /**
     * Relaxed header canonicalization (RFC 6376 §3.4.2): name in lower case, no space around the
     * colon, the value unfolded, runs of spaces and tabs as one space, none at either end.
     */
    private static void relaxedField(byte[] m, int[] field, Buffer out) {
        int colon = field[2];
        int nameEnd = colon;
        while (nameEnd > field[0] && (m[nameEnd - 1] == ' ' || m[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        for (int i = field[0]; i < nameEnd; i++) {
            byte c = m[i];
            out.add(c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c);
        }
        out.add((byte) ':');
        boolean started = false;
        boolean space = false;
        for (int i = colon + 1; i < field[1]; i++) {
            byte c = m[i];
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (c == ' ' || c == '\t') {
                space = started;
                continue;
            }
            if (space) {
                out.add((byte) ' ');
                space = false;
            }
            out.add(c);
            started = true;
        }
    }

    /**
     * SHA-256 of the body in relaxed canonical form (RFC 6376 §3.4.4): spaces and tabs at line ends
     * removed, other runs as one space, empty lines at the end removed, CRLF line ends; an empty
     * body hashes as nothing. Without copying the body: runs of lines that are already canonical
     * (CRLF, no tab, no two spaces together, none at the end) are hashed straight from
     * {@code m}; only the other lines are rewritten, one at a time.
     */
    static byte[] relaxedBodyHash(byte[] m, int start, int end) {
        MessageDigest sha = sha256();
        Buffer line = new Buffer(128); // a line canonicalization changes
        int run = start; // [run, pos): canonical lines not hashed yet
        int emptyLines = 0; // held back until a line with text follows (trailing ones are dropped)
        int pos = start;
        while (pos < end) {
            int lf = Bytes.indexOf(m, pos, end, (byte) '\n');
            int next = lf == end ? end : lf + 1;
            int lineEnd = lf > pos && m[lf - 1] == '\r' ? lf - 1 : lf;
            if (lf == end && lineEnd > pos && m[lineEnd - 1] == '\r') {
                lineEnd--; // a lone CR at the very end
            }
            int textEnd = lineEnd;
            while (textEnd > pos && (m[textEnd - 1] == ' ' || m[textEnd - 1] == '\t')) {
                textEnd--;
            }
            if (textEnd == pos) {
                sha.update(m, run, pos - run);
                emptyLines++;
                run = next;
            } else {
                for (; emptyLines > 0; emptyLines--) {
                    sha.update(CRLF);
                }
                boolean canonical = lf < end && lineEnd == lf - 1 && textEnd == lineEnd && plain(m, pos, textEnd);
                if (!canonical) {
                    sha.update(m, run, pos - run);
                    line.size = 0;
                    relaxedLine(m, pos, textEnd, line);
                    sha.update(line.bytes, 0, line.size);
                    sha.update(CRLF);
                    run = next;
                }
            }
            pos = next;
        }
        sha.update(m, run, pos - run);
        return sha.digest();
    }

    /** Whether {@code m[from, to)} has no tab and no two spaces together. */
    private static boolean plain(byte[] m, int from, int to) {
        if (Bytes.indexOf(m, from, to, (byte) '\t') < to) {
            return false;
        }
        for (int i = Bytes.indexOf(m, from, to, (byte) ' '); i < to; i = Bytes.indexOf(m, i + 1, to, (byte) ' ')) {
            if (i + 1 < to && m[i + 1] == ' ') {
                return false;
            }
        }
        return true;
    }

    /** A line's text (no trailing spaces or tabs) with every run of spaces and tabs as one space. */
    private static void relaxedLine(byte[] m, int from, int to, Buffer out) {
        boolean space = false;
        for (int i = from; i < to; i++) {
            byte c = m[i];
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space) {
                out.add((byte) ' ');
                space = false;
            }
            out.add(c);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** A growable byte array. */
    private static final class Buffer {
        byte[] bytes;
        int size;

        Buffer(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        void add(byte b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = b;
        }

        void crlf() {
            add((byte) '\r');
            add((byte) '\n');
        }
    }
}
