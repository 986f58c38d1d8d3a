package io.poolmta.nexthop;

/** Finds the receiving servers of a destination domain. */
@FunctionalInterface
public interface NextHopResolver {
    NextHopResolution resolve(String domain);
}
