package io.poolmta.message;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Makes SES-style message ids: {@code "0100"} + the acceptance time as 12 lowercase hex digits of
 * epoch milliseconds + {@code "-"} + a random UUID + {@code "-000000"}, for example
 * {@code 01000197a1b2c3d4-6f1e0c2a-8a0b-4c3d-9e8f-0a1b2c3d4e5f-000000}. Ids are unique (122 random
 * bits each) and sort lexicographically by the millisecond they were made in; ids of one
 * millisecond have no order among themselves. Time comes from the injected clock only.
 */
public final class MessageIds {
    private static final Pattern FORMAT =
            Pattern.compile("0100[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000");
    private static final long MAX_MILLIS = 0xFFFF_FFFF_FFFFL;

    private final Clock clock;

    public MessageIds(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** A new id stamped with the clock's current millisecond. */
    public String next() {
        long millis = clock.millis();
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalStateException("Clock time " + clock.instant() + " cannot be stamped into a message id");
        }
        return "0100" + HexFormat.of().toHexDigits(millis, 12) + "-" + UUID.randomUUID() + "-000000";
    }

    /** True when {@code id} has the exact shape {@link #next()} produces. */
    public static boolean isMessageId(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    /** The instant an id was stamped with, to the millisecond. */
    public static Instant timestampOf(String id) {
        if (!isMessageId(id)) {
            throw new IllegalArgumentException("Not a PoolMTA message id: " + id);
        }
        return Instant.ofEpochMilli(HexFormat.fromHexDigitsToLong(id, 4, 16));
    }
}
