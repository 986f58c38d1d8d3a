package io.poolmta.events;

import java.time.Duration;
import java.util.List;

/**
 * The operator's webhook settings: {@code allowList}, the internal destinations tenants may use
 * after all (CIDR ranges, addresses, host names, {@code *.domain}; default none), and
 * {@code maxAge}, how long an event is retried before it goes to the dead-letter file (default
 * {@link #DEFAULT_MAX_AGE}).
 */
public record WebhookSettings(List<String> allowList, Duration maxAge) {
    /** An hour: a webhook restarting or redeployed catches up; an endpoint down for longer is replayed by hand. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

    public WebhookSettings {
        allowList = List.copyOf(allowList);
        WebhookAddressPolicy.allowing(allowList); // refuses a bad entry now, not at the first event
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("webhookMaxAgeSeconds must be positive, got " + maxAge.toSeconds());
        }
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(List.of(), DEFAULT_MAX_AGE);
    }

    public WebhookSettings withAllowList(List<String> entries) {
        return new WebhookSettings(entries, maxAge);
    }

    public WebhookSettings withMaxAge(Duration age) {
        return new WebhookSettings(allowList, age);
    }

    public WebhookAddressPolicy policy() {
        return WebhookAddressPolicy.allowing(allowList);
    }
}
