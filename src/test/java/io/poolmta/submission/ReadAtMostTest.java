package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SubmissionTransaction.readAtMost: the whole message up to the limit, null beyond it, the stream always read to its end. */
class ReadAtMostTest {

    @Test
    void messagesUpToTheLimitAreReadWholeAndLongerOnesAreDrained() throws IOException {
        Random random = new Random(2);
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 8191, 8192, 8193, 100_000}) {
            byte[] message = new byte[size];
            random.nextBytes(message);
            for (int max : new int[] {size - 1, size, size + 1, 4096, Integer.MAX_VALUE}) {
                if (max < 0) {
                    continue;
                }
                ByteArrayInputStream in = new ByteArrayInputStream(message);
                byte[] read = SubmissionTransaction.readAtMost(in, max);
                if (size <= max) {
                    assertThat(read).as("size %d, max %d", size, max).isEqualTo(message);
                } else {
                    assertThat(read).as("size %d, max %d", size, max).isNull();
                }
                assertThat(in.available()).isZero();
            }
        }
    }
}
