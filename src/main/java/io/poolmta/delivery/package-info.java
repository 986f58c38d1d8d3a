/**
 * Delivery: the scheduled queue (when: due time, backoff, expiry), the ready queues per egress path
 * (how fast: connections and messages per connection), the egress decision (provider, throttle
 * pause, hourly cap) and the outcome of each reply (delivered, delay, bounce). It uses next-hop
 * resolution ({@code nexthop}) and the SMTP client ({@code delivery.smtp}); neither uses it.
 */
package io.poolmta.delivery;
