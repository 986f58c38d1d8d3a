package io.poolmta.nexthop;

import java.util.List;

/** Where mail for a domain goes, or why it cannot go now (temporary) or ever (permanent). */
public sealed interface NextHopResolution {
    record Hosts(List<NextHop> hosts) implements NextHopResolution {
        public Hosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("at least one host");
            }
        }

        /** The destination site: every domain served by the same hosts shares one set of limits. */
        public String site() {
            return hosts.stream()
                    .map(NextHop::toString)
                    .sorted()
                    .reduce((a, b) -> a + "," + b)
                    .orElseThrow();
        }
    }

    /** SMTP-like reply text, e.g. "4.4.3 DNS lookup of example.com failed". */
    record TemporaryFailure(String reason) implements NextHopResolution {}

    record PermanentFailure(String reason) implements NextHopResolution {}
}
