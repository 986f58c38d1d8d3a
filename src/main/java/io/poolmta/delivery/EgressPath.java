package io.poolmta.delivery;

import io.poolmta.ip.Ipv4;
import io.poolmta.message.TlsPolicy;

/**
 * A ready queue's key (KumoMTA's egress path): the source address × the destination site (the set
 * of receiving hosts, with the mailbox provider it belongs to), and the TLS policy, since messages that require TLS never share a
 * connection's fate with those that do not.
 */
public record EgressPath(Ipv4 source, String site, String provider, TlsPolicy tls) {}
