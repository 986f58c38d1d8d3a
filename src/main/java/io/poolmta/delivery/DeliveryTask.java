package io.poolmta.delivery;

import io.poolmta.ip.Ipv4;
import io.poolmta.spool.StoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The recipients of one message at one destination domain, waiting for their next attempt. The
 * message's content stays in the spool until the attempt.
 * {@code attempts} counts attempts made so far; {@code lastIp} is kept so retries leave from the
 * same address; {@code lastReply} explains the last temporary failure (for the bounce on expiry).
 */
record DeliveryTask(
        StoredMessage message,
        String domain,
        List<String> recipients,
        int attempts,
        Optional<Ipv4> lastIp,
        Optional<String> lastReply,
        Instant due,
        long sequence,
        boolean handedOver) {

    DeliveryTask {
        recipients = List.copyOf(recipients);
    }

    DeliveryTask retry(List<String> remaining, Optional<Ipv4> ip, Optional<String> reply, Instant at, long seq) {
        return new DeliveryTask(
                message, domain, remaining, attempts + 1, ip.isPresent() ? ip : lastIp, reply, at, seq, handedOver);
    }

    /** The same task due at {@code at}, no attempt counted; {@code reply}, if any, replaces the last one. */
    DeliveryTask later(Instant at, Optional<String> reply, long seq) {
        return new DeliveryTask(
                message,
                domain,
                recipients,
                attempts,
                lastIp,
                reply.isPresent() ? reply : lastReply,
                at,
                seq,
                handedOver);
    }
}
