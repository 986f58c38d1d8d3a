package io.poolmta.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bytes after DATA: CRLF everywhere, dots stuffed, a final line ending, the terminator. */
class WireContentTest {
    @Test
    void crlfContentIsSentAsIsWithTheTerminator() {
        assertThat(wire("a\r\nb\r\n")).isEqualTo("a\r\nb\r\n.\r\n");
        assertThat(WireContent.encode(bytes("a\r\nb\r\n")).size()).isEqualTo(6);
    }

    @Test
    void bareLfAndBareCrBecomeCrlf() {
        assertThat(wire("a\nb\rc\r\n")).isEqualTo("a\r\nb\r\nc\r\n.\r\n");
    }

    @Test
    void aMissingFinalLineEndingIsAdded() {
        assertThat(wire("no newline")).isEqualTo("no newline\r\n.\r\n");
        assertThat(WireContent.encode(bytes("no newline")).size()).isEqualTo(12);
    }

    @Test
    void emptyContentIsJustTheTerminator() {
        assertThat(wire("")).isEqualTo(".\r\n");
    }

    @Test
    void everyLineStartingWithADotGetsOneMoreAndTheSizeDoesNotCountIt() {
        WireContent content = WireContent.encode(bytes(".a\r\n..\r\nb.c\r\n.\n"));
        assertThat(new String(content.bytes(), StandardCharsets.US_ASCII))
                .isEqualTo("..a\r\n...\r\nb.c\r\n..\r\n.\r\n");
        assertThat(content.size()).isEqualTo(16);
    }

    @Test
    void eightBitIsDetected() {
        assertThat(WireContent.encode(bytes("plain ascii\r\n")).eightBit()).isFalse();
        assertThat(WireContent.encode(bytes("Grüße\r\n")).eightBit()).isTrue();
    }

    @Test
    void ehloKeywordsAreReadCaseInsensitivelyWithTheSizeLimit() {
        EhloCapabilities capabilities = EhloCapabilities.parse(List.of(
                "mx.example.com greets you", "pipelining", "SIZE 10240000", "STARTTLS", "8BITMIME", "SIZE-NOT"));
        assertThat(capabilities).isEqualTo(new EhloCapabilities(true, true, true, true, 10_240_000));
        assertThat(EhloCapabilities.parse(List.of("only a name"))).isEqualTo(EhloCapabilities.NONE);
        assertThat(EhloCapabilities.parse(List.of("x", "SIZE")).maxSize()).isZero();
    }

    /** The bulk encoder against the rules applied one byte at a time, on random mixes of the tricky bytes. */
    @Test
    void matchesAByteByByteReadingOfTheRulesOnRandomContent() {
        Random random = new Random(20261127);
        byte[] alphabet = {'a', 'b', '.', '\r', '\n', (byte) 0xC3, ' '};
        for (int round = 0; round < 5_000; round++) {
            byte[] content = new byte[random.nextInt(40)];
            for (int i = 0; i < content.length; i++) {
                content[i] = alphabet[random.nextInt(alphabet.length)];
            }
            assertMatchesTheRules(content);
        }
    }

    /** The same on content in CRLF lines, as the spool holds it (the encoder's fast path when no line starts with a dot). */
    @Test
    void matchesTheRulesOnContentInCrlfLines() {
        Random random = new Random(20261128);
        byte[] alphabet = {'a', 'b', '.', (byte) 0xC3, ' ', '\r', '\n'};
        for (int round = 0; round < 5_000; round++) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            int lines = random.nextInt(6);
            for (int line = 0; line < lines; line++) {
                int length = random.nextInt(12);
                for (int i = 0; i < length; i++) {
                    // mostly ordinary bytes; now and then a dot (stuffed when it starts a line) or a lone CR or LF
                    int pick = random.nextInt(40);
                    content.write(pick < 35 ? alphabet[pick % 5] : alphabet[pick % 7]);
                }
                if (line < lines - 1 || random.nextBoolean()) {
                    content.writeBytes(new byte[] {'\r', '\n'});
                }
            }
            assertMatchesTheRules(content.toByteArray());
        }
    }

    private static void assertMatchesTheRules(byte[] content) {
        WireContent encoded = WireContent.encode(content);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        boolean lineStart = true;
        boolean eightBit = false;
        long size = 0;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r' || b == '\n') {
                i += b == '\r' && i + 1 < content.length && content[i + 1] == '\n' ? 1 : 0;
                expected.writeBytes(new byte[] {'\r', '\n'});
                size += 2;
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') {
                expected.write('.');
            }
            eightBit |= b < 0;
            expected.write(b);
            size++;
            lineStart = false;
        }
        if (!lineStart) {
            expected.writeBytes(new byte[] {'\r', '\n'});
            size += 2;
        }
        expected.writeBytes(new byte[] {'.', '\r', '\n'});
        assertThat(encoded.bytes()).as("content %s", Arrays.toString(content)).isEqualTo(expected.toByteArray());
        assertThat(encoded.size()).as("size of %s", Arrays.toString(content)).isEqualTo(size);
        assertThat(encoded.eightBit())
                .as("8-bit of %s", Arrays.toString(content))
                .isEqualTo(eightBit);
    }

    private static String wire(String content) {
        return new String(WireContent.encode(bytes(content)).bytes(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
