package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The text encoding choice, against the byte-at-a-time definition it must agree with. */
class TransferEncodingsTest {

    @Test
    void lineLengthLimitIsNineHundredNinetyEightBytesBetweenBreaks() {
        assertThat(TransferEncodings.forText(bytes("x".repeat(998)))).isEqualTo("7bit");
        assertThat(TransferEncodings.forText(bytes("x".repeat(999)))).isEqualTo("quoted-printable");
        assertThat(TransferEncodings.forText(bytes("a\r\n" + "x".repeat(998) + "\r\nb")))
                .isEqualTo("7bit");
        assertThat(TransferEncodings.forText(bytes("a\r\n" + "x".repeat(999) + "\r\nb")))
                .isEqualTo("quoted-printable");
        assertThat(TransferEncodings.forText(bytes("x".repeat(998) + "\r" + "x".repeat(998))))
                .isEqualTo("7bit");
        assertThat(TransferEncodings.forText(bytes("x".repeat(998) + "\n" + "x".repeat(999))))
                .isEqualTo("quoted-printable");
        assertThat(TransferEncodings.forText(new byte[0])).isEqualTo("7bit");
    }

    @Test
    void nonAsciiNulAndDelAreSpecial() {
        assertThat(TransferEncodings.forText(bytes("plain text\r\n"))).isEqualTo("7bit");
        assertThat(TransferEncodings.forText(bytes("caf\u00e9 and more plain text")))
                .isEqualTo("quoted-printable");
        assertThat(TransferEncodings.forText(new byte[] {'a', 0, 'b'})).isEqualTo("quoted-printable");
        assertThat(TransferEncodings.forText(new byte[] {'a', 127, 'b'})).isEqualTo("quoted-printable");
        assertThat(TransferEncodings.forText(bytes("\u00e9\u00e9\u00e9"))).isEqualTo("base64");
    }

    @RepeatedTest(200)
    void agreesWithTheByteAtATimeDefinition() {
        Random random = new Random();
        byte[] text = new byte[random.nextInt(5000)];
        int lineBreakEvery = 1 + random.nextInt(1500);
        for (int i = 0; i < text.length; i++) {
            int pick = random.nextInt(lineBreakEvery * 4);
            text[i] = pick == 0
                    ? (byte) '\r'
                    : pick == 1
                            ? (byte) '\n'
                            : random.nextInt(2000) == 0
                                    ? (byte) random.nextInt(256)
                                    : (byte) ('a' + random.nextInt(26));
        }
        assertThat(TransferEncodings.forText(text))
                .as("lines every ~%d bytes", lineBreakEvery)
                .isEqualTo(reference(text));
    }

    /** The definition, one byte at a time. */
    private static String reference(byte[] bytes) {
        int special = 0;
        boolean longLine = false;
        int line = 0;
        for (byte b : bytes) {
            if (b == '\r' || b == '\n') {
                line = 0;
                continue;
            }
            longLine |= ++line > TransferEncodings.MAX_LINE;
            if (b <= 0 || b == 127) {
                special++;
            }
        }
        if (special == 0 && !longLine) {
            return "7bit";
        }
        return special * 3L <= bytes.length ? "quoted-printable" : "base64";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
