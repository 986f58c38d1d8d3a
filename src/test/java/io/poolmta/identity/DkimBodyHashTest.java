package io.poolmta.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The relaxed body hash, which hashes canonical runs of lines straight from the message, against
 * the canonical form written out byte by byte (RFC 6376 §3.4.4) for random bodies of spaces,
 * tabs, CR, LF and text.
 */
class DkimBodyHashTest {

    @Test
    void hashesWhatTheCanonicalFormWrittenOutHashes() throws Exception {
        Random random = new Random(6376);
        byte[] alphabet = {' ', ' ', '\t', '\r', '\n', '\n', 'a', 'b', '.', 'c', 'd', 'e'};
        for (int round = 0; round < 20_000; round++) {
            byte[] body = new byte[random.nextInt(60)];
            for (int i = 0; i < body.length; i++) {
                body[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int start = body.length == 0 ? 0 : random.nextInt(body.length);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(canonical(body, start, body.length));
            assertThat(DkimSigner.relaxedBodyHash(body, start, body.length))
                    .as("body %s from %d", Arrays.toString(body), start)
                    .isEqualTo(expected);
        }
    }

    /** Line by line: LF (with or without CR before it) ends a line; a lone CR at the very end is dropped. */
    private static byte[] canonical(byte[] m, int start, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int emptyLines = 0;
        int pos = start;
        while (pos < end) {
            int lf = pos;
            while (lf < end && m[lf] != '\n') {
                lf++;
            }
            int lineEnd = lf > pos && m[lf - 1] == '\r' ? lf - 1 : lf;
            if (lf == end && lineEnd > pos && m[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean space = false;
            for (int i = pos; i < lineEnd; i++) {
                if (m[i] == ' ' || m[i] == '\t') {
                    space = true;
                } else {
                    if (space) {
                        line.write(' ');
                    }
                    space = false;
                    line.write(m[i]);
                }
            }
            if (line.size() == 0) {
                emptyLines++;
            } else {
                for (; emptyLines > 0; emptyLines--) {
                    out.writeBytes(new byte[] {'\r', '\n'});
                }
                out.writeBytes(line.toByteArray());
                out.writeBytes(new byte[] {'\r', '\n'});
            }
            pos = lf + 1;
        }
        return out.toByteArray();
    }
}
