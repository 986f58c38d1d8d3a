package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.poolmta.testing.WebhookReceiver;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS rebinding: a webhook host name that answers an allowed address to one lookup and an internal
 * one to the next. The sender resolves once per attempt, checks what it got and connects to exactly
 * that address, so the internal endpoint (127.0.0.2, not on the allow-list) never sees a request,
 * while the allowed one (127.0.0.1) gets the events with the URL's own Host header.
 */
class WebhookRebindingTest {
    @TempDir
    Path dir;

    WebhookReceiver allowed;
    WebhookReceiver internal;
    WebhookSender sender;

    @AfterEach
    void tearDown() {
        if (sender != null) {
            sender.close();
        }
        for (WebhookReceiver r : new WebhookReceiver[] {allowed, internal}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    void aNameThatRebindsToAnInternalAddressNeverReachesIt() {
        allowed = WebhookReceiver.start("127.0.0.1");
        int port = Integer.parseInt(allowed.url().replaceAll(".*:(\\d+)/events", "$1"));
        internal = WebhookReceiver.startOn("127.0.0.2", port);
        AtomicInteger lookups = new AtomicInteger();
        WebhookTargets.Resolver rebinding = host -> {
            assertThat(host).isEqualTo("hooks.rebind.test");
            return List.of(InetAddress.ofLiteral(lookups.incrementAndGet() % 2 == 1 ? "127.0.0.1" : "127.0.0.2"));
        };
        WebhookTargets targets = new WebhookTargets(WebhookAddressPolicy.allowing(List.of("127.0.0.1/32")), rebinding);
        String url = "http://hooks.rebind.test:" + port + "/events";
        DestinationKey key = new DestinationKey("111111111111", "set", "hook");
        sender = new WebhookSender(
                dir,
                targets,
                k -> Optional.of(url),
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                Duration.ofHours(1),
                Clock.systemUTC(),
                (SSLSocketFactory) SSLSocketFactory.getDefault(),
                1 << 20);

        int events = 10;
        for (int i = 0; i < events; i++) {
            sender.enqueue(key, "{\"eventType\":\"Send\",\"mail\":{\"messageId\":\"m" + i + "\"}}");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> sender.pending() == 0);
        assertThat(internal.requests())
                .as("requests that reached the internal address")
                .isZero();
        assertThat(allowed.events()).isNotEmpty();
        assertThat(allowed.events().size() + sender.deadLettered()).isEqualTo(events);
        assertThat(sender.deadLettered())
                .as("events whose lookup gave the internal address")
                .isPositive();
        assertThat(lookups.get())
                .as("one lookup per attempt")
                .isEqualTo(allowed.requests() + (int) sender.deadLettered());
        assertThat(allowed.hostHeaders()).containsOnly("hooks.rebind.test:" + port);
    }
}
