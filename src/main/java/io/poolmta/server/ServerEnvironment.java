package io.poolmta.server;

import io.poolmta.delivery.DeliverySettings;
import io.poolmta.delivery.smtp.SmtpClientSettings;
import io.poolmta.ip.LocalAddresses;
import io.poolmta.sending.QueueLimit;
import io.poolmta.spool.FileChannelFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * What a running server takes from its surroundings rather than from its configuration: the
 * domain clock (warm-up, scheduling, expiry, the rolling 24-hour send counts), the clock SigV4
 * request dates and the per-second sending rates are measured by (the wall clock: clients sign
 * with theirs), how to tell whether an address is local, the
 * delivery engine's limits and backoffs, the SMTP client's timeouts, and how many accepted
 * messages may wait at once (from the heap size). Tests swap these; production uses {@link #production()}.
 */
public record ServerEnvironment(
        Clock clock,
        Clock requestClock,
        LocalAddresses localAddresses,
        DeliverySettings delivery,
        SmtpClientSettings smtpClient,
        FileChannelFactory spoolChannels,
        Duration webhookInitialBackoff,
        Duration webhookMaxBackoff,
        QueueLimit queueLimit) {

    public static ServerEnvironment production() {
        return new ServerEnvironment(
                Clock.systemUTC(),
                Clock.systemUTC(),
                new SocketBindCheck(),
                DeliverySettings.DEFAULT,
                SmtpClientSettings.defaults(),
                FileChannelFactory.DEFAULT,
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                QueueLimit.forHeap(Runtime.getRuntime().maxMemory()));
    }

    public ServerEnvironment withClock(Clock domainClock) {
        return new ServerEnvironment(
                domainClock,
                requestClock,
                localAddresses,
                delivery,
                smtpClient,
                spoolChannels,
                webhookInitialBackoff,
                webhookMaxBackoff,
                queueLimit);
    }

    /** The wall clock for SigV4 request dates and the accounts' per-second sending rates. */
    public ServerEnvironment withRequestClock(Clock wallClock) {
        return new ServerEnvironment(
                clock,
                wallClock,
                localAddresses,
                delivery,
                smtpClient,
                spoolChannels,
                webhookInitialBackoff,
                webhookMaxBackoff,
                queueLimit);
    }

    public ServerEnvironment withDelivery(DeliverySettings settings) {
        return new ServerEnvironment(
                clock,
                requestClock,
                localAddresses,
                settings,
                smtpClient,
                spoolChannels,
                webhookInitialBackoff,
                webhookMaxBackoff,
                queueLimit);
    }

    public ServerEnvironment withSmtpClient(SmtpClientSettings settings) {
        return new ServerEnvironment(
                clock,
                requestClock,
                localAddresses,
                delivery,
                settings,
                spoolChannels,
                webhookInitialBackoff,
                webhookMaxBackoff,
                queueLimit);
    }

    /** The spool's file channels: the seam for simulating a full or failing disk. */
    public ServerEnvironment withSpoolChannels(FileChannelFactory channels) {
        return new ServerEnvironment(
                clock,
                requestClock,
                localAddresses,
                delivery,
                smtpClient,
                channels,
                webhookInitialBackoff,
                webhookMaxBackoff,
                queueLimit);
    }

    /** How many accepted messages may wait at once (default: from the heap size). */
    public ServerEnvironment withQueueLimit(QueueLimit limit) {
        return new ServerEnvironment(
                clock,
                requestClock,
                localAddresses,
                delivery,
                smtpClient,
                spoolChannels,
                webhookInitialBackoff,
                webhookMaxBackoff,
                limit);
    }
}
