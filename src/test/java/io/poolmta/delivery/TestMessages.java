package io.poolmta.delivery;

import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import io.poolmta.spool.SpoolRef;
import io.poolmta.spool.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Spooled messages for the engine's unit tests: the envelope only, the content is the fake spool's. */
final class TestMessages {
    static final String POOL = "tx";

    private TestMessages() {}

    /** A message accepted at {@code acceptedAt} that expires {@code maxDelivery} later. */
    static StoredMessage message(String id, Instant acceptedAt, Duration maxDelivery, String... recipients) {
        Envelope envelope = new Envelope(
                id,
                "acct",
                Optional.empty(),
                POOL,
                "sender@example.net",
                List.of(recipients),
                acceptedAt,
                acceptedAt.plus(maxDelivery),
                TlsPolicy.OPTIONAL,
                Map.of());
        return new StoredMessage(envelope, new SpoolRef(0, 0, 4096, 64));
    }
}
