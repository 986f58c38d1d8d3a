package io.poolmta.ip;

/** Whether this host can send from an address (bind a socket to it). */
@FunctionalInterface
public interface LocalAddresses {
    boolean canBind(Ipv4 address);

    LocalAddresses ANY = address -> true;
}
