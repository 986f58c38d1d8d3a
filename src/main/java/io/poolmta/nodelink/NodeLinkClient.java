package io.poolmta.nodelink;

import io.poolmta.delivery.NodeHandOver;
import io.poolmta.ip.NodeDirectory;
import io.poolmta.ip.NodeStatus;
import io.poolmta.spool.MessageRecords;
import io.poolmta.spool.SpooledMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The sending end of the node link: hands a message to another node and returns only when that
 * node answered STORED (its spool holds the message). The node's link address comes from the
 * {@link NodeDirectory}. Connections are TLS 1.3 on the cluster key ({@link ClusterKey}) and are
 * kept for the next hand-over while idle for less than {@link #KEEP_IDLE}; a kept connection that
 * turns out to be broken is replaced by a new one once. Every other failure throws, and the caller
 * keeps the message (a STORED lost on the way makes a duplicate there, never a loss). Thread-safe.
 */
public final class NodeLinkClient implements NodeHandOver, AutoCloseable {
    static final Duration KEEP_IDLE = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final SSLContext tls;
    private final String self;
    private final NodeDirectory nodes;
    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();

    public NodeLinkClient(SSLContext tls, String self, NodeDirectory nodes) {
        this.tls = tls;
        this.self = self;
        this.nodes = nodes;
    }

    @Override
    public void handOver(String node, SpooledMessage message, int attempts) throws IOException {
        String address = nodes.node(node)
                .flatMap(NodeStatus::linkAddress)
                .orElseThrow(() -> new IOException("node " + node + " has no node link address"));
        byte[] record = MessageRecords.encode(message);
        Connection kept = take(address);
        if (kept != null) {
            try {
                finish(address, kept, kept.handOver(record, attempts));
                return;
            } catch (RefusedException refused) {
                throw refused;
            } catch (IOException stale) {
                kept.close(); // kept too long on the other side, or the node restarted: once more, afresh
            }
        }
        Connection fresh = connect(address);
        try {
            finish(address, fresh, fresh.handOver(record, attempts));
        } catch (RefusedException refused) {
            throw refused;
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
    }

    private void finish(String address, Connection connection, Answer answer) throws IOException {
        idle.computeIfAbsent(address, a -> new ArrayDeque<>());
        Deque<Connection> kept = idle.get(address);
        synchronized (kept) {
            kept.push(connection);
        }
        if (answer.status() != LinkProtocol.STORED) {
            throw new RefusedException("node at " + address + " did not take the message: " + answer.reason());
        }
    }

    /** The node answered, but not STORED: the connection is fine, the message stays here. */
    static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    private Connection take(String address) {
        Deque<Connection> kept = idle.get(address);
        if (kept == null) {
            return null;
        }
        synchronized (kept) {
            Connection c;
            while ((c = kept.poll()) != null) {
                if (System.nanoTime() - c.lastUsed < KEEP_IDLE.toNanos()) {
                    return c;
                }
                c.close();
            }
            return null;
        }
    }

    private Connection connect(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        try {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            socket.startHandshake();
            Connection c = new Connection(socket);
            c.out.writeInt(LinkProtocol.MAGIC);
            c.out.writeInt(LinkProtocol.VERSION);
            LinkProtocol.writeString(c.out, self);
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private record Answer(byte status, String reason) {}

    private static final class Connection {
        final SSLSocket socket;
        final DataInputStream in;
        final DataOutputStream out;
        long lastUsed = System.nanoTime();

        Connection(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        }

        Answer handOver(byte[] record, int attempts) throws IOException {
            out.writeByte(LinkProtocol.HAND_OVER);
            out.writeInt(attempts);
            out.writeInt(record.length);
            out.write(record);
            out.flush();
            byte status = in.readByte();
            String reason = LinkProtocol.readString(in);
            lastUsed = System.nanoTime();
            return new Answer(status, reason);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        for (Deque<Connection> kept : idle.values()) {
            synchronized (kept) {
                kept.forEach(Connection::close);
                kept.clear();
            }
        }
    }
}
