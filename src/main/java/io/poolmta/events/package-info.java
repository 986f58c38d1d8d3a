/**
 * Events of a message's life in SES's event-publishing JSON (Send, Delivery, Bounce,
 * DeliveryDelay, Reject), the server-wide event log, and the destinations configuration sets
 * publish to: HTTP webhooks (durable per-destination queues, delivered at least once, retried with
 * backoff, then dead-lettered; internal addresses refused) and JSON-lines files; and the
 * {@link io.poolmta.events.EventTap}s inside the server that watch every event.
 */
package io.poolmta.events;
