package io.poolmta.message;

import io.poolmta.common.Bytes;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header section of a message whose line breaks are all CRLF: its fields with their byte
 * ranges, and where the body starts. Fails with BAD_REQUEST when there is no blank line ending the
 * header section, no field before it, or a line in it that is neither a field nor a folded
 * continuation; with MESSAGE_REJECTED when any line of the message is longer than 998 octets, or
 * when a line of the header section holds a CR that is not part of a CRLF (a bare CR): receivers
 * and PoolMTA's own SMTP client take a bare CR for a line break, so a field read here as one line
 * would arrive as two, the second never seen by the header checks and removals here.
 */
record HeaderBlock(List<Field> fields, int headerEnd) {

    /**
     * One header field: {@code name} as written, bytes {@code [start, end)} including its final CRLF,
     * the value starting at {@code valueStart}.
     */
    record Field(String name, int start, int valueStart, int end) {
        boolean is(String fieldName) {
            return name.equalsIgnoreCase(fieldName);
        }

        /** The value unfolded (CRLF before white space removed), decoded as UTF-8, trimmed. */
        String value(byte[] message) {
            String raw = new String(message, valueStart, end - 2 - valueStart, StandardCharsets.UTF_8);
            return raw.replace("\r\n", "").strip();
        }
    }

    static HeaderBlock read(byte[] message) {
        checkLineLengths(message);
        return readHeader(message);
    }

    /**
     * The same reading of the header section alone, without the line-length check of the whole
     * message: for content that passed {@link #read} when it was accepted.
     */
    static HeaderBlock readHeader(byte[] message) {
        return readHeader(message, false);
    }

    /**
     * The same, where {@code message} may be only the first bytes of a message: with
     * {@code partial}, running out of bytes before the blank line ends the reading (the last whole
     * field left out too when the bytes may end inside it) and {@link #headerEnd} is -1.
     */
    static HeaderBlock readHeader(byte[] message, boolean partial) {
        List<Field> fields = new ArrayList<>();
        int lineStart = 0;
        int lineNumber = 1;
        while (true) {
            int lineEnd = indexOfCrlf(message, lineStart);
            if (lineEnd < 0 && partial) {
                boolean lastMayGoOn =
                        lineStart == message.length || message[lineStart] == ' ' || message[lineStart] == '\t';
                if (!fields.isEmpty() && lastMayGoOn) {
                    fields.removeLast();
                }
                return new HeaderBlock(List.copyOf(fields), -1);
            }
            if (lineEnd < 0) {
                throw PoolMtaException.badRequest("Raw message has no header/body separator");
            }
            int cr = Bytes.indexOf(message, lineStart, lineEnd, (byte) '\r');
            if (cr < lineEnd) {
                throw new PoolMtaException(
                        ErrorKind.MESSAGE_REJECTED,
                        "Line " + lineNumber + " of the message's header "
                                + "section holds a carriage return (CR) without a line feed after it; a bare CR is refused in "
                                + "header fields. End lines with CRLF (or LF).");
            }
            if (lineEnd == lineStart) {
                if (fields.isEmpty()) {
                    throw PoolMtaException.badRequest(
                            "Raw message has no header fields before the header/body separator");
                }
                return new HeaderBlock(List.copyOf(fields), lineStart);
            }
            byte first = message[lineStart];
            if (first == ' ' || first == '\t') {
                if (fields.isEmpty()) {
                    throw PoolMtaException.badRequest(
                            "Raw message starts with a folded line instead of a header field");
                }
                Field last = fields.removeLast();
                fields.add(new Field(last.name(), last.start(), last.valueStart(), lineEnd + 2));
            } else {
                fields.add(field(message, lineStart, lineEnd, lineNumber));
            }
            lineStart = lineEnd + 2;
            lineNumber++;
        }
    }

    private static Field field(byte[] message, int start, int end, int lineNumber) {
        int colon = start;
        while (colon < end && message[colon] != ':') {
            colon++;
        }
        int nameEnd = colon;
        while (nameEnd > start && (message[nameEnd - 1] == ' ' || message[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        boolean valid = colon < end && nameEnd > start;
        for (int i = start; valid && i < nameEnd; i++) {
            valid = message[i] >= 33 && message[i] <= 126;
        }
        if (!valid) {
            String line = new String(message, start, Math.min(end - start, 60), StandardCharsets.UTF_8);
            throw PoolMtaException.badRequest(
                    "Raw message line " + lineNumber + " is in the header section but is not a " + "header field: '"
                            + UserText.shown(line) + "' (is the blank line after the headers missing?)");
        }
        return new Field(
                new String(message, start, nameEnd - start, StandardCharsets.US_ASCII), start, colon + 1, end + 2);
    }

    /** Finds the next CRLF at or after {@code from}; -1 when there is none. */
    static int indexOfCrlf(byte[] message, int from) {
        for (int i = from; i + 1 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Rejects a message with a line of more than {@link TransferEncodings#MAX_LINE} octets before
     * its CRLF. Looks at each line's first {@code MAX_LINE + 1} octets from their end backwards:
     * the last CRLF among them is where the next line to check starts, so most octets need no
     * look at all; only a message that fails is read line by line, for the error's line number.
     */
    private static void checkLineLengths(byte[] message) {
        int start = 0;
        while (message.length - start > TransferEncodings.MAX_LINE) {
            int i = start + TransferEncodings.MAX_LINE;
            while (i >= start && !(message[i] == '\r' && i + 1 < message.length && message[i + 1] == '\n')) {
                i--;
            }
            if (i < start) {
                rejectLongLine(message);
            }
            start = i + 2;
        }
    }

    private static void rejectLongLine(byte[] message) {
        int lineStart = 0;
        int lineNumber = 1;
        for (int i = 0; i <= message.length; i++) {
            boolean lineEnds =
                    i == message.length || (message[i] == '\r' && i + 1 < message.length && message[i + 1] == '\n');
            if (lineEnds) {
                if (i - lineStart > TransferEncodings.MAX_LINE) {
                    throw new PoolMtaException(
                            ErrorKind.MESSAGE_REJECTED,
                            "Line " + lineNumber + " of the message is "
                                    + (i - lineStart) + " octets long; lines may have at most "
                                    + TransferEncodings.MAX_LINE
                                    + " octets (1000 with CRLF, RFC 5321).");
                }
                lineStart = i + 2;
                lineNumber++;
                i++;
            }
        }
        throw new IllegalStateException("the two readings of the message's line lengths disagree");
    }
}
