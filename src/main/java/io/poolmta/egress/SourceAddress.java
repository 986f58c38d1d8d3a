package io.poolmta.egress;

import io.poolmta.ip.Ipv4;

/** The local address a delivery connection binds to, and the EHLO name it introduces itself with. */
public record SourceAddress(Ipv4 ip, String ehloName) {}
