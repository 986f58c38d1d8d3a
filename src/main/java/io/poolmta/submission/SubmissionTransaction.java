package io.poolmta.submission;

import io.poolmta.common.Bytes;
import io.poolmta.common.PoolMtaException;
import io.poolmta.message.EmailAddresses;
import io.poolmta.sending.EnvelopeIntake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One mail transaction of an authenticated session: MAIL FROM, up to {@code maxRecipients} RCPT TO
 * (452 4.5.3 beyond), then DATA. Each address is checked when it is given, by the rules the message
 * is accepted by ({@link EmailAddresses}): a malformed one is refused there (501 5.1.7 for MAIL
 * FROM, 501 5.1.3 for RCPT TO) and the others are kept, so one bad recipient never costs the
 * message its good ones. A message holding a NUL byte, or 8-bit bytes in its header section
 * without BODY=8BITMIME, is refused with 554 5.6.0 (see {@link #checkBytes}). The message is read whole (at most {@code maxMessageBytes} after
 * dot-unstuffing, else it is read to its end, discarded and answered 552 5.3.4) and handed to the
 * {@link EnvelopeIntake}; the server answers {@code 250 Ok: queued as <id>} only after the
 * intake has returned, i.e. after the message is durably accepted. Any failure of the intake
 * becomes the reply chosen by {@link SubmissionReplies}; nothing is acknowledged that was not
 * accepted.
 */
final class SubmissionTransaction implements MessageHandler {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final MessageContext context;
    private final EnvelopeIntake intake;
    private final SubmissionSettings settings;
    private final List<String> recipients = new ArrayList<>();
    private String accountId;
    private String mailFrom;
    private boolean eightBit;

    SubmissionTransaction(MessageContext context, EnvelopeIntake intake, SubmissionSettings settings) {
        this.context = context;
        this.intake = intake;
        this.settings = settings;
    }

    @Override
    public void from(String from) throws RejectException {
        // RequireAuthCommand already refuses MAIL before AUTH; this is the second lock on the door
        Optional<Object> identity = context.getAuthenticationHandler().map(AuthenticationHandler::getIdentity);
        if (identity.isEmpty() || !(identity.get() instanceof String account)) {
            throw new RejectException(530, "5.7.0 Authentication required");
        }
        if (from != null && !from.isEmpty()) {
            checkAddress(from, "MAIL FROM", "5.1.7 Bad sender address syntax");
        }
        accountId = account;
        mailFrom = from;
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (recipient == null || recipient.isBlank()) {
            throw new RejectException(501, "5.1.3 Bad recipient address syntax");
        }
        if (recipients.size() >= settings.maxRecipients()) {
            throw new RejectException(452, "4.5.3 Too many recipients");
        }
        checkAddress(recipient, "RCPT TO", "5.1.3 Bad recipient address syntax");
        recipients.add(recipient);
    }

    /** 501 with the address rule it breaks, by the same rules the message is accepted by. */
    private static void checkAddress(String address, String field, String refusal) throws RejectException {
        try {
            EmailAddresses.envelopeAddress(address, field);
        } catch (PoolMtaException e) {
            throw new RejectException(501, refusal + ": " + SubmissionReplies.oneLine(e.getMessage()));
        }
    }

    /** The client declared BODY=8BITMIME on MAIL FROM: 8-bit bytes in the header section are accepted. */
    void declareEightBit(boolean declared) {
        eightBit = declared;
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        byte[] content = readAtMost(data, settings.maxMessageBytes());
        if (content == null) {
            throw new RejectException(552, "5.3.4 Message size exceeds fixed maximum message size");
        }
        checkBytes(content, eightBit);
        String id;
        try {
            id = intake.accept(accountId, mailFrom, List.copyOf(recipients), content, clientIp());
        } catch (Exception e) {
            throw SubmissionReplies.refusal(e);
        }
        return "Ok: queued as " + SubmissionReplies.oneLine(id);
    }

    /** The client's IP address, or "" when the socket has none. */
    private String clientIp() {
        return context.getRemoteAddress() instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress()
                : "";
    }

    /**
     * What the content may hold: no NUL byte anywhere (RFC 5321 text; BINARYMIME is not offered),
     * and 8-bit bytes in the header section only when BODY=8BITMIME was declared (SMTPUTF8 is not
     * offered; RFC 2047 encoded words are the 7-bit way). 8-bit bytes in the body are accepted.
     */
    static void checkBytes(byte[] content, boolean eightBitDeclared) throws RejectException {
        if (Bytes.indexOf(content, 0, content.length, (byte) 0) < content.length) {
            throw new RejectException(554, "5.6.0 Message contains NUL bytes, which are not allowed in mail");
        }
        if (!eightBitDeclared) {
            int headerEnd = headerSectionEnd(content);
            for (int i = 0; i < headerEnd; i++) {
                if (content[i] < 0) {
                    throw new RejectException(
                            554,
                            "5.6.0 Message headers contain 8-bit bytes: declare BODY=8BITMIME"
                                    + " or encode them (RFC 2047)");
                }
            }
        }
    }

    /** Where the header section ends: at the first empty line (CRLF CRLF, or bare LFs), else the end. */
    private static int headerSectionEnd(byte[] content) {
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                int next = i + 1;
                if (next < content.length && content[next] == '\r') {
                    next++;
                }
                if (next < content.length && content[next] == '\n') {
                    return i;
                }
            }
        }
        return content.length;
    }

    /**
     * The whole stream, or null (after reading the stream to its end) when it is longer than max.
     * Reads into chunks of growing size (4 KiB, then twice the last) that are never copied while
     * they fill, and joins them once at the exact size: one copy of the message, however large.
     */
    static byte[] readAtMost(InputStream in, int max) throws IOException {
        long limit = Math.min((long) max + 1, MAX_ARRAY); // holding one byte more than max tells that it is too long
        List<byte[]> full = new ArrayList<>(); // chunks filled so far, in order
        long total = 0; // bytes in them
        byte[] chunk = new byte[(int) Math.min(4096, limit)];
        int used = 0; // bytes in chunk
        int n;
        while (total + used < limit && (n = in.read(chunk, used, chunk.length - used)) >= 0) {
            used += n;
            if (used == chunk.length && total + used < limit) {
                full.add(chunk);
                total += used;
                chunk = new byte[(int) Math.min(2L * chunk.length, limit - total)];
                used = 0;
            }
        }
        long size = total + used;
        if (size > max || size >= MAX_ARRAY) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        if (full.isEmpty()) {
            return used == chunk.length ? chunk : Arrays.copyOf(chunk, used);
        }
        byte[] content = new byte[(int) size];
        int at = 0;
        for (byte[] part : full) {
            System.arraycopy(part, 0, content, at, part.length);
            at += part.length;
        }
        System.arraycopy(chunk, 0, content, at, used);
        return content;
    }

    @Override
    public void done() {}
}
