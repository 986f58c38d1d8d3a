/**
 * Acceptance: the one path every message takes into PoolMTA, from SendEmail and SMTP alike.
 * Checks that the account and configuration set may send and that the pool has IPs, stores the
 * message durably, and only then hands it to the {@link DeliveryQueue} and says yes. The adapters
 * call in through {@link MessageIntake} (the SMTP server through the {@link EnvelopeIntake} it
 * implements); the delivery side is reached only through {@code DeliveryQueue}.
 */
package io.poolmta.sending;
