/**
 * Next hops: where mail for a destination domain goes. Static routes (domain to host:port, like
 * Postfix transport_maps) first, MX lookup otherwise, and the loopback-only guard. Imports nothing
 * of delivery.
 */
package io.poolmta.nexthop;
