/** Static next hops: destination domain to host:port, used instead of MX lookup (like Postfix transport_maps). */
package io.poolmta.route;
