package io.poolmta.delivery.smtp;

import io.poolmta.egress.SourceAddress;
import io.poolmta.message.TlsPolicy;
import io.poolmta.nexthop.NextHop;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Delivers a batch of messages for one destination from one source address over SMTP.
 * <ul>
 *   <li>Connects from {@code source.ip()} to the first reachable host of {@code hosts}, in order,
 *       and says EHLO with {@code source.ehloName()}.</li>
 *   <li>Uses STARTTLS when offered; with {@link TlsPolicy#REQUIRE} a message is never sent in
 *       clear: every recipient gets a 4xx result instead.</li>
 *   <li>Sends every message of the batch on the connection (PIPELINING when offered, all of a
 *       message's recipients in one transaction). When every message of the batch was tried
 *       and the connection is still healthy, asks {@code more} for further messages and sends
 *       them on the same connection, until it gives an empty list; then QUIT. {@code more} is
 *       never called once the connection broke, nor when none could be opened. A further round
 *       that {@code more} had to wait for starts with RSET, so a connection the server closed
 *       meanwhile leaves the round not attempted instead of failing a message.</li>
 *   <li>Never throws for network or protocol failures: a message that could not be completed gets
 *       a 4xx result per recipient with a text that says what happened (refused, timeout, dropped).
 *       Returns exactly one result per message of the batch and of every list {@code more} gave,
 *       in order.</li>
 *   <li>Once the connection is broken, the messages that were never tried on it (no MAIL FROM sent)
 *       are {@link DeliveryResult#notAttempted not attempted}, not failed. The first message of a
 *       batch is always attempted: when no connection can be opened it carries the failure.</li>
 *   <li>Hands each result to {@code eachResult} as soon as it is known (after the message's last
 *       reply, before the next message is tried), in order, on the calling thread, so the caller
 *       can record an outcome while the connection goes on.</li>
 * </ul>
 */
public interface SmtpTransport {
    List<DeliveryResult> deliver(
            SourceAddress source,
            List<NextHop> hosts,
            TlsPolicy tls,
            List<OutboundMessage> batch,
            Supplier<List<OutboundMessage>> more,
            Consumer<DeliveryResult> eachResult);

    default List<DeliveryResult> deliver(
            SourceAddress source,
            List<NextHop> hosts,
            TlsPolicy tls,
            List<OutboundMessage> batch,
            Consumer<DeliveryResult> eachResult) {
        return deliver(source, hosts, tls, batch, List::of, eachResult);
    }

    default List<DeliveryResult> deliver(
            SourceAddress source, List<NextHop> hosts, TlsPolicy tls, List<OutboundMessage> batch) {
        return deliver(source, hosts, tls, batch, result -> {});
    }
}
