/**
 * Events of a message's life in SES's event-publishing JSON (Send, Delivery, Bounce,
 * DeliveryDelay, Reject), the server-wide event log, and the destinations configuration sets
 * publish to: HTTP webhooks (retried with backoff) and JSON-lines files.
 */
package io.poolmta.events;
