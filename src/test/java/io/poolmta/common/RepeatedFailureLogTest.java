package io.poolmta.common;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A spell of thousands of failures makes a handful of log lines: the first, a summary per interval, the end. */
class RepeatedFailureLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("test.RepeatedFailureLog");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final RepeatedFailureLog log =
            new RepeatedFailureLog(logger, "spool write", Duration.ofSeconds(10), now::get);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
    }

    @Test
    void aSpellLogsItsStartASummaryPerIntervalAndItsEnd() {
        IOException full = new IOException("No space left on device");
        for (int i = 0; i < 1000; i++) { // 1,000 failures over 25 s
            log.failed("1 messages refused", full);
            now.addAndGet(Duration.ofMillis(25).toNanos());
        }
        assertThat(log.failing()).isTrue();
        log.succeeded();
        log.succeeded(); // nothing more to say

        assertThat(lines.list)
                .extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.WARN, Level.WARN, Level.WARN, Level.INFO);
        assertThat(lines.list.get(0).getFormattedMessage()).contains("spool write failed", "No space left on device");
        assertThat(lines.list.get(0).getThrowableProxy())
                .as("the first carries its stack trace")
                .isNotNull();
        assertThat(lines.list.get(1).getFormattedMessage())
                .contains("still failing", "400 more failures in the last 10 s");
        assertThat(lines.list.get(2).getFormattedMessage()).contains("400 more failures in the last 10 s");
        assertThat(lines.list.get(3).getFormattedMessage()).contains("works again, after 1000 failures over 25000 ms");
        assertThat(log.failing()).isFalse();
    }

    @Test
    void aNewSpellStartsAfresh() {
        log.failed("x", new IOException("first"));
        log.succeeded();
        log.failed("y", new IOException("second"));
        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(
                        m -> assertThat(m).contains("failed", "first"),
                        m -> assertThat(m).contains("works again, after 1 failures"),
                        m -> assertThat(m).contains("failed", "second"));
    }
}
