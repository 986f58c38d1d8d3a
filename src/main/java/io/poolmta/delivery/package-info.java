/**
 * Delivery: next-hop resolution (static routes, MX), PoolMTA's own SMTP client bound to a source
 * IP, the scheduler (when) and ready queues per egress path (how fast), retries and bounces.
 */
package io.poolmta.delivery;
