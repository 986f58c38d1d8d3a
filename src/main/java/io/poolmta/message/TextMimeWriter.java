package io.poolmta.message;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
        int size = 1024;
        for (TextPart leaf : leaves) {
            size += leaf.bytes().length + leaf.bytes().length / 3;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        if (leaves.size() == 1) {
            TextPart leaf = leaves.getFirst();
            headers.setHeader("Content-Type", leaf.contentType());
            headers.setHeader("Content-Transfer-Encoding", leaf.transferEncoding());
            writeHeaders(headers, out);
            encode(leaf, out);
            return out.toByteArray();
        }
        String boundary = boundary(leaves, nowMillis);
        ContentType type = new ContentType("multipart", "alternative", null);
        type.setParameter("boundary", boundary);
        headers.setHeader("Content-Type", type.toString());
        writeHeaders(headers, out);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        for (TextPart leaf : leaves) {
            out.write(delimiter);
            out.write(CRLF);
            line(out, "Content-Type: " + leaf.contentType());
            line(out, "Content-Transfer-Encoding: " + leaf.transferEncoding());
            out.write(CRLF);
            encode(leaf, out);
            out.write(CRLF);
        }
        out.write(delimiter);
        out.write('-');
        out.write('-');
        out.write(CRLF);
        return out.toByteArray();
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

    /** The leaf's bytes in its transfer encoding, as MimeBodyPart writes them (encoder written to, then flushed). */
    static void encode(TextPart leaf, OutputStream out) throws IOException {
        switch (leaf.transferEncoding()) {
            case "7bit" -> out.write(leaf.bytes());
            case "quoted-printable" -> {
                OutputStream qp = new QPEncoderStream(out);
                qp.write(leaf.bytes());
                qp.flush();
            }
            case "base64" -> {
                OutputStream base64 = new BASE64EncoderStream(out);
                base64.write(leaf.bytes());
                base64.flush();
            }
            default -> throw new IllegalStateException("unknown transfer encoding " + leaf.transferEncoding());
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
