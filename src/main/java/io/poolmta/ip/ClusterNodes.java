package io.poolmta.ip;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * This node in the node table: registers it at start, beats its heartbeat (the server calls
 * {@link #heartbeat()} every {@link #HEARTBEAT}), and answers {@link NodeDirectory} from the IP
 * records. A node whose last heartbeat is older than {@link #DOWN_AFTER} is down. With
 * {@code shared} false (the embedded database) this is the only node: every IP is local, and its
 * heartbeat is kept in memory only, since no other node reads it (an idle server then touches no
 * database for it).
 */
public final class ClusterNodes implements NodeDirectory {
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DOWN_AFTER = HEARTBEAT.multipliedBy(3);
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$");

    private final String self;
    private final boolean shared;
    private final NodeStore store;
    private final IpStore ips;
    private final Clock clock;
    /** How many nodes were up at the last heartbeat (this one at least). */
    private volatile int nodesUp = 1;
    /** How long {@link #nodes()} serves what it last read before it reads again. */
    static final Duration KNOWN_FOR = Duration.ofSeconds(1);
    /** Every node as last read, and when (System.nanoTime): what source selection asks. */
    private volatile List<NodeStatus> known = List.of();

    private volatile long knownAt = System.nanoTime() - Duration.ofHours(1).toNanos();

    /** This node as registered, its heartbeat the last beat: what a node alone reads. */
    private volatile Optional<NodeRecord> alone = Optional.empty();

    public ClusterNodes(String self, boolean shared, NodeStore store, IpStore ips, Clock clock) {
        this.self = checkName(self);
        this.shared = shared;
        this.store = store;
        this.ips = ips;
        this.clock = clock;
    }

    /** A node name: letters, digits, dots, dashes and underscores, at most 64, as a host name is. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "node must be 1 to 64 letters, digits, '.', '-' or '_' (a host name), got '" + name + "'");
        }
        return name;
    }

    /** Records this node as started now, serving these addresses (the node link's, when it has one). */
    public void register(String apiAddress, String smtpAddress, Optional<String> linkAddress) {
        Instant now = clock.instant();
        NodeRecord record = new NodeRecord(self, apiAddress, smtpAddress, linkAddress, now, now);
        store.register(record);
        if (!shared) {
            store.removeAllBut(self);
            alone = Optional.of(record);
        }
    }

    /** Beats this node's heartbeat: in the node table when it is shared, in memory for a node alone. */
    public void heartbeat() {
        Instant at = clock.instant();
        if (shared) {
            store.heartbeat(self, at);
        } else {
            alone = alone.map(n -> n.withHeartbeat(at));
        }
        List<NodeStatus> now = read();
        known = now;
        knownAt = System.nanoTime();
        if (shared) {
            nodesUp = (int) Math.max(1, now.stream().filter(NodeStatus::up).count());
        }
    }

    /**
     * How many nodes were up at the last heartbeat, at least 1: those that share an account's
     * sending rate. Read from memory, so it costs nothing per message.
     */
    public int nodesUp() {
        return nodesUp;
    }

    /** Whether the control plane is shared by several nodes (PostgreSQL) rather than embedded. */
    public boolean shared() {
        return shared;
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public boolean isLocal(String address) {
        if (!shared) {
            return true;
        }
        return nodeOf(address).map(self::equals).orElse(false);
    }

    @Override
    public Optional<String> nodeOf(String address) {
        Optional<SendingIp> ip = Ipv4.valid(address) ? ips.byAddress(new Ipv4(address)) : Optional.empty();
        if (!shared) {
            return ip.map(i -> self);
        }
        return ip.flatMap(SendingIp::node);
    }

    /**
     * Every node as read at most {@link #KNOWN_FOR} ago: one read of the node table a second at
     * most, however many messages ask; {@link #read()} reads the database now.
     */
    @Override
    public List<NodeStatus> nodes() {
        if (System.nanoTime() - knownAt > KNOWN_FOR.toNanos()) {
            synchronized (this) {
                if (System.nanoTime() - knownAt > KNOWN_FOR.toNanos()) {
                    known = read();
                    knownAt = System.nanoTime();
                }
            }
        }
        return known;
    }

    /**
     * Every node, read from the database now (for a node alone, itself as registered, with its last
     * heartbeat), each up or down by the age of its last heartbeat.
     */
    public List<NodeStatus> read() {
        Instant now = clock.instant();
        List<NodeRecord> rows = shared ? store.all() : alone.map(List::of).orElseGet(store::all);
        return rows.stream()
                .map(n -> new NodeStatus(
                        n.name(),
                        n.apiAddress(),
                        n.smtpAddress(),
                        n.linkAddress(),
                        n.startedAt(),
                        n.heartbeat(),
                        !n.heartbeat().isBefore(now.minus(DOWN_AFTER))))
                .toList();
    }
}
