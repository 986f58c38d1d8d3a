package io.poolmta.message;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.util.BASE64EncoderStream;
import org.eclipse.angus.mail.util.QPEncoderStream;

/**
 * Writes a message whose body is text only (one text leaf, or two in a multipart/alternative)
 * straight to bytes: the same bytes Jakarta Mail's {@code MimeMessage.writeTo} gives for it (the
 * path {@link MimeBuilder} keeps for attachments) without Jakarta's object tree and its
 * ServiceLoader lookup per encoder. Header lines come in {@link InternetHeaders} order, each
 * written as UTF-8 + CRLF; leaves are encoded by the Angus encoders Jakarta would use and framed
 * the way {@code MimeMultipart} frames them. Only the boundary differs (random in both); it is
 * chosen so that it occurs in none of the parts.
 */
final class TextMimeWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final AtomicLong PARTS = new AtomicLong();

    private TextMimeWriter() {}

    /**
     * {@code headers} holds the message's header fields except Content-Type and
     * Content-Transfer-Encoding, which are added here; {@code leaves} has one or two parts.
     */
    static byte[] write(InternetHeaders headers, List<TextPart> leaves, long nowMillis) throws IOException {
        Pieces out = new Pieces();
        if (leaves.size() == 1) {
            TextPart leaf = leaves.getFirst();
            headers.setHeader("Content-Type", leaf.contentType());
            headers.setHeader("Content-Transfer-Encoding", leaf.transferEncoding());
            writeHeaders(headers, out.text());
            encode(leaf, out);
            return out.join();
        }
        String boundary = boundary(leaves, nowMillis);
        ContentType type = new ContentType("multipart", "alternative", null);
        type.setParameter("boundary", boundary);
        headers.setHeader("Content-Type", type.toString());
        writeHeaders(headers, out.text());
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        for (TextPart leaf : leaves) {
            Buffer text = out.text();
            text.writeBytes(delimiter);
            text.writeBytes(CRLF);
            line(text, "Content-Type: " + leaf.contentType());
            line(text, "Content-Transfer-Encoding: " + leaf.transferEncoding());
            text.writeBytes(CRLF);
            encode(leaf, out);
            out.text().writeBytes(CRLF);
        }
        Buffer text = out.text();
        text.writeBytes(delimiter);
        text.write('-');
        text.write('-');
        text.writeBytes(CRLF);
        return out.join();
    }

    private static void writeHeaders(InternetHeaders headers, ByteArrayOutputStream out) {
        for (Enumeration<String> lines = headers.getAllHeaderLines(); lines.hasMoreElements(); ) {
            line(out, lines.nextElement());
        }
        out.write(CRLF, 0, 2);
    }

    private static void line(ByteArrayOutputStream out, String line) {
        out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF, 0, 2);
    }

    /**
     * The leaf's bytes in its transfer encoding, as MimeBodyPart writes them (encoder written to,
     * then flushed): 7bit text is taken as it is, without a copy.
     */
    private static void encode(TextPart leaf, Pieces out) throws IOException {
        int n = leaf.bytes().length;
        switch (leaf.transferEncoding()) {
            case "7bit" -> out.add(leaf.bytes(), n);
            case "quoted-printable" -> {
                Buffer encoded = new Buffer(n + n / 8 + 64);
                OutputStream qp = new QPEncoderStream(encoded);
                qp.write(leaf.bytes());
                qp.flush();
                out.add(encoded.array(), encoded.size());
            }
            case "base64" -> {
                Buffer encoded = new Buffer(n / 3 * 4 + n / 38 + 64); // 4 characters per 3 bytes, CRLF per 76
                OutputStream base64 = new BASE64EncoderStream(encoded);
                base64.write(leaf.bytes());
                base64.flush();
                out.add(encoded.array(), encoded.size());
            }
            default -> throw new IllegalStateException("unknown transfer encoding " + leaf.transferEncoding());
        }
    }

    /** A ByteArrayOutputStream whose array is read in place. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    /**
     * The message as pieces in order (header text, leaves, delimiters), joined once into an array
     * of the exact size, so a leaf's bytes are copied once whatever the message's size.
     */
    private static final class Pieces {
        private record Piece(byte[] bytes, int length) {}

        private final List<Piece> pieces = new ArrayList<>();
        private long size;
        private Buffer text;

        /** Where short text goes next (header lines, delimiters); it follows the pieces added so far. */
        Buffer text() {
            if (text == null) {
                text = new Buffer(512);
            }
            return text;
        }

        /** Adds {@code bytes[0, length)}, which must not change until {@link #join}. */
        void add(byte[] bytes, int length) {
            endText();
            pieces.add(new Piece(bytes, length));
            size += length;
        }

        byte[] join() {
            endText();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("message too large: " + size + " bytes");
            }
            byte[] out = new byte[(int) size];
            int at = 0;
            for (Piece piece : pieces) {
                System.arraycopy(piece.bytes(), 0, out, at, piece.length());
                at += piece.length();
            }
            return out;
        }

        private void endText() {
            if (text != null && text.size() > 0) {
                pieces.add(new Piece(text.array(), text.size()));
                size += text.size();
            }
            text = null;
        }
    }

    /**
     * A boundary shaped like Jakarta Mail's ({@code ----=_Part_<n>_<random>.<millis>}). Encoded
     * parts cannot hold it ("=_" never occurs in quoted-printable or base64); 7bit text is checked.
     */
    static String boundary(List<TextPart> leaves, long nowMillis) {
        while (true) {
            String boundary = "----=_Part_" + PARTS.getAndIncrement() + "_"
                    + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE) + "." + nowMillis;
            if (leaves.stream()
                    .noneMatch(leaf -> leaf.transferEncoding().equals("7bit") && contains(leaf.bytes(), boundary))) {
                return boundary;
            }
        }
    }

    private static boolean contains(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
