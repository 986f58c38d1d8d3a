package io.poolmta.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BytesTest {
    private static int naiveIndexOf(byte[] a, int from, int to, byte target) {
        for (int i = from; i < to; i++) {
            if (a[i] == target) {
                return i;
            }
        }
        return to;
    }

    /** Every range of random arrays over a small alphabet (so matches, near-misses and runs are common), every target. */
    @Test
    void indexOfAgreesWithAPlainLoopOnRandomArrays() {
        Random random = new Random(42);
        byte[] alphabet = {'\r', '\n', '.', 'a', 0, (byte) 0x80, (byte) 0xff, (byte) 0x0c, (byte) 0x0e, (byte) 0x8d};
        for (int round = 0; round < 300; round++) {
            byte[] a = new byte[random.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                a[i] = alphabet[random.nextInt(alphabet.length)];
            }
            for (int from = 0; from <= a.length; from++) {
                for (int to = from; to <= a.length; to++) {
                    for (byte target : alphabet) {
                        assertThat(Bytes.indexOf(a, from, to, target))
                                .as("%s in %s [%d, %d)", target, Arrays.toString(a), from, to)
                                .isEqualTo(naiveIndexOf(a, from, to, target));
                    }
                }
            }
        }
    }

    /** The same for the search of either of two bytes, over every pair of targets. */
    @Test
    void indexOfEitherAgreesWithTwoPlainLoopsOnRandomArrays() {
        Random random = new Random(7);
        byte[] alphabet = {'\r', '\n', '.', 'a', 0, (byte) 0x80, (byte) 0xff, (byte) 0x0c, (byte) 0x0e, (byte) 0x8d};
        for (int round = 0; round < 200; round++) {
            byte[] a = new byte[random.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                a[i] = alphabet[random.nextInt(alphabet.length)];
            }
            for (int from = 0; from <= a.length; from++) {
                for (int to = from; to <= a.length; to++) {
                    for (byte one : alphabet) {
                        for (byte other : alphabet) {
                            assertThat(Bytes.indexOfEither(a, from, to, one, other))
                                    .as("%s or %s in %s [%d, %d)", one, other, Arrays.toString(a), from, to)
                                    .isEqualTo(
                                            Math.min(naiveIndexOf(a, from, to, one), naiveIndexOf(a, from, to, other)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void indexOfFindsTheFirstOfSeveralInOneWordAndSaysToWhenAbsent() {
        byte[] a = "abc\r\r\r\rdefghijk\r".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Bytes.indexOf(a, 0, a.length, (byte) '\r')).isEqualTo(3);
        assertThat(Bytes.indexOf(a, 7, a.length, (byte) '\r')).isEqualTo(a.length - 1);
        assertThat(Bytes.indexOf(a, 7, a.length - 1, (byte) '\r')).isEqualTo(a.length - 1); // = to: none
        assertThat(Bytes.indexOf(a, 0, a.length, (byte) '\n')).isEqualTo(a.length);
    }

    @Test
    void aHighByteIsSeenAtAnyPositionAndLength() {
        for (int length = 0; length <= 40; length++) {
            byte[] a = new byte[length];
            Arrays.fill(a, (byte) 0x7f);
            assertThat(Bytes.hasHighBit(a)).as("all ASCII, length %d", length).isFalse();
            for (int at = 0; at < length; at++) {
                for (byte high : new byte[] {(byte) 0x80, (byte) 0xff}) {
                    a[at] = high;
                    assertThat(Bytes.hasHighBit(a))
                            .as("0x%02x at %d of %d", high, at, length)
                            .isTrue();
                    a[at] = 0x7f;
                }
            }
        }
    }
}
