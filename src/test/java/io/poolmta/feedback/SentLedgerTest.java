package io.poolmta.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
import io.poolmta.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ledger learns from Delivery events without writing per message: many deliveries are one
 * batch, a message delivered to two domains is one entry with both recipients, an entry is found
 * before and after it is written, the waiting entries are bounded, and the retention window
 * forgets old entries.
 */
class SentLedgerTest {
    final MutableClock clock = new MutableClock(Instant.parse("2025-06-02T12:00:00Z"));
    final MemorySentMessageStore store = new MemorySentMessageStore();

    @Test
    void deliveriesAreStoredInOneBatchAndFoundBeforeAndAfter() {
        SentLedger ledger = new SentLedger(store, Duration.ofDays(14), 1000, clock);
        for (int i = 0; i < 500; i++) {
            ledger.record(delivery(id(i), "127.0.0.11", "a" + i + "@one.example"));
        }
        ledger.record(delivery(id(0), "127.0.0.12", "b@two.example"));
        ledger.record(event(EventType.SEND, id(1), "127.0.0.11", "x@one.example"));

        assertThat(store.batches).isZero();
        assertThat(ledger.find(id(0)).orElseThrow().recipientIps())
                .containsExactly(Map.entry("a0@one.example", "127.0.0.11"), Map.entry("b@two.example", "127.0.0.12"));

        ledger.runOnce();

        assertThat(store.batches).isOne();
        assertThat(store.count()).isEqualTo(500);
        assertThat(ledger.find(id(0)).orElseThrow().recipients()).containsExactly("a0@one.example", "b@two.example");
        assertThat(ledger.find(id(1)).orElseThrow().recipients()).containsExactly("a1@one.example");
        ledger.runOnce();
        assertThat(store.batches).as("nothing new, no write").isOne();
    }

    @Test
    void atMostMaxPendingWaitAndOldEntriesAreForgotten() {
        SentLedger ledger = new SentLedger(store, Duration.ofDays(14), 10, clock);
        for (int i = 0; i < 15; i++) {
            ledger.record(delivery(id(i), "127.0.0.11", "a@one.example"));
        }
        assertThat(ledger.dropped()).isEqualTo(5);
        ledger.runOnce();
        assertThat(store.count()).isEqualTo(10);

        clock.advance(Duration.ofDays(14).plusMinutes(2));
        assertThat(ledger.find(id(0))).as("past the retention window").isEmpty();
        ledger.runOnce();
        assertThat(store.count()).isZero();
    }

    private static String id(int n) {
        return String.format("010001900a1b2c3d-%08x-2222-3333-4444-555555555555-000000", n);
    }

    private MailEvent delivery(String id, String ip, String rcpt) {
        return event(EventType.DELIVERY, id, ip, rcpt);
    }

    private MailEvent event(EventType type, String id, String ip, String rcpt) {
        Envelope env = new Envelope(
                id,
                "111111111111",
                Optional.of("set"),
                "pool",
                "sender@example.com",
                List.of(rcpt),
                clock.instant(),
                clock.instant().plusSeconds(3600),
                TlsPolicy.OPTIONAL,
                Map.of());
        return new MailEvent(
                type,
                clock.instant(),
                env,
                List.of(rcpt),
                Optional.of(ip),
                "pool",
                Optional.empty(),
                Optional.of("250 ok"),
                type == EventType.DELIVERY ? new MailEvent.Delivery(5) : new MailEvent.Send(),
                MailHeaders.UNREADABLE);
    }
}
