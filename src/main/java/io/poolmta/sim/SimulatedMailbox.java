package io.poolmta.sim;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

/**
 * A receiving mail server on loopback that accepts every message: a {@link ProviderSimulator} with
 * the {@link ProviderProfile#lenient() lenient} profile (recipients whose local part starts with
 * "unknown" are still refused with 550 5.1.1, like a provider's unknown user). Counts accepted
 * messages per source address and remembers each source's EHLO name. The demo's receivers.
 */
public final class SimulatedMailbox implements AutoCloseable {
    private final ProviderSimulator simulator;

    public SimulatedMailbox(String name, String host, int port) throws IOException {
        this.simulator =
                new ProviderSimulator(host, port, ProviderProfile.lenient().withName(name), Clock.systemUTC(), 0);
    }

    public String name() {
        return simulator.name();
    }

    public int port() {
        return simulator.port();
    }

    public String hostPort() {
        return simulator.hostPort();
    }

    /** Accepted messages per source address, sorted by address. */
    public Map<String, Long> acceptedBySource() {
        return simulator.acceptedMessagesBySource();
    }

    /** The EHLO name the source last introduced itself with, or null if it never did. */
    public String ehloOf(String source) {
        return simulator.snapshot(source).ehloName().orElse(null);
    }

    /** Publishes a DKIM key record ({@code <selector>._domainkey.<domain>}) for this receiver's checks. */
    public void publishDkimKey(String name, String txtRecord) {
        simulator.publishDkimKey(name, txtRecord);
    }

    /** Messages whose DKIM signature this receiver verified, per source address. */
    public Map<String, Long> dkimPassedBySource() {
        return simulator.dkimPassedBySource();
    }

    /** Accepted messages from every source. */
    public long accepted() {
        return simulator.totalAcceptedMessages();
    }

    /** The simulator underneath, for its per-IP snapshots. */
    public ProviderSimulator simulator() {
        return simulator;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
