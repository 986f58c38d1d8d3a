package io.poolmta.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How content and the commands after it are cut into writes. */
class WireWriterTest {
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final List<Integer> writes = new ArrayList<>();

    private void write(WireContent content, String... lines) throws Exception {
        WireWriter.write(
                (bytes, offset, length) -> {
                    wire.write(bytes, offset, length);
                    writes.add(length);
                },
                content,
                Arrays.stream(lines)
                        .map(l -> l.getBytes(StandardCharsets.US_ASCII))
                        .toList());
    }

    private static byte[] lines(int bytes) {
        StringBuilder b = new StringBuilder("Subject: x\r\n\r\n");
        while (b.length() < bytes) {
            b.append("y".repeat(76)).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void spooledContentIsSentFromItsOwnArray() {
        byte[] content = lines(2048);
        assertThat(WireContent.encode(content).body()).isSameAs(content);
    }

    @Test
    void a50KbMessageAndTheNextCommandsGoOutInOneWrite() throws Exception {
        byte[] content = lines(50 * 1024);
        write(WireContent.encode(content), "MAIL FROM:<a@b.example>", "RCPT TO:<c@d.example>");
        assertThat(writes).hasSize(1);
        assertThat(wire.toString(StandardCharsets.US_ASCII))
                .isEqualTo(new String(content, StandardCharsets.US_ASCII)
                        + ".\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n");
    }

    @Test
    void largerContentGoesOutInChunksWithTheRestInTheLastWrite() throws Exception {
        byte[] content = Arrays.copyOf(lines(200 * 1024), 200 * 1024 + 1); // a last line without its CRLF
        content[content.length - 1] = 'z';
        WireContent encoded = WireContent.encode(content);
        write(encoded, "QUIT");
        assertThat(writes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(WireWriter.CHUNK));
        assertThat(writes).hasSize(4);
        assertThat(wire.toByteArray())
                .isEqualTo(new String(encoded.bytes(), StandardCharsets.ISO_8859_1)
                        .concat("QUIT\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(encoded.bytes(), StandardCharsets.US_ASCII)).endsWith("z\r\n.\r\n");
    }

    @Test
    void contentThatNeedsStuffingIsSentEncoded() throws Exception {
        write(WireContent.encode(".a\nb".getBytes(StandardCharsets.US_ASCII)));
        assertThat(wire.toString(StandardCharsets.US_ASCII)).isEqualTo("..a\r\nb\r\n.\r\n");
    }
}
