/**
 * PoolMTA's outbound SMTP client: one connection from a bound source address to the first
 * reachable next hop, EHLO, opportunistic STARTTLS, pipelined transactions, and the per-recipient
 * results of every message it was handed ({@link io.poolmta.delivery.smtp.SmtpTransport}). It
 * knows nothing of queues, retries or events: the delivery engine decides what to do with a reply.
 */
package io.poolmta.delivery.smtp;
