package io.poolmta.configset;

import io.poolmta.common.PoolMtaException;
import io.poolmta.message.TlsPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how mail of a configuration set is delivered: the pool it leaves from (none: the
 * default dedicated pool), the TLS policy, and how long delivery is attempted (300–50400 s).
 */
public record DeliveryOptions(
        TlsPolicy tlsPolicy, Optional<String> sendingPoolName, Optional<Long> maxDeliverySeconds) {
    public static final long MIN_DELIVERY_SECONDS = 300;
    public static final long MAX_DELIVERY_SECONDS = 50_400;
    public static final DeliveryOptions DEFAULT =
            new DeliveryOptions(TlsPolicy.OPTIONAL, Optional.empty(), Optional.empty());

    public DeliveryOptions {
        Objects.requireNonNull(tlsPolicy);
        Objects.requireNonNull(sendingPoolName);
        Objects.requireNonNull(maxDeliverySeconds);
        maxDeliverySeconds.ifPresent(s -> {
            if (s < MIN_DELIVERY_SECONDS || s > MAX_DELIVERY_SECONDS) {
                throw PoolMtaException.badRequest("MaxDeliverySeconds must be between " + MIN_DELIVERY_SECONDS + " and "
                        + MAX_DELIVERY_SECONDS + ", got " + s + ".");
            }
        });
        sendingPoolName = sendingPoolName.filter(p -> !p.isEmpty());
    }
}
