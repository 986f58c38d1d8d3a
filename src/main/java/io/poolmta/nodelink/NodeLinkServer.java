package io.poolmta.nodelink;

import io.poolmta.spool.MessageRecords;
import io.poolmta.spool.SpooledMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of the node link: a TLS 1.3 listener that requires the peer to hold the
 * cluster key ({@link ClusterKey}; a connection without it fails in the handshake and is closed
 * before a byte of the protocol is read). For each hand-over ({@link LinkProtocol}) it decodes the
 * spool record, has the {@link HandOverReceiver} store it durably and queue it, and only then
 * answers STORED; anything else (a record that is not intact, a store that failed) is answered
 * RETRY, and the sender keeps the message. One virtual thread per connection; a connection idle
 * for {@link #IDLE} is closed. TLS is layered over each accepted TCP socket, which {@link #close}
 * closes: a read waiting on an idle connection ends at once rather than at its timeout.
 */
public final class NodeLinkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLinkServer.class);
    static final Duration IDLE = Duration.ofMinutes(2);

    private final ServerSocket socket;
    private final SSLContext tls;
    private final HandOverReceiver receiver;
    /** The accepted TCP sockets, under their TLS layers. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private final Thread acceptor;
    private volatile boolean closed;

    private NodeLinkServer(ServerSocket socket, SSLContext tls, HandOverReceiver receiver) {
        this.socket = socket;
        this.tls = tls;
        this.receiver = receiver;
        this.acceptor = Thread.ofPlatform().name("node-link-acceptor").daemon().unstarted(this::acceptLoop);
    }

    /** Listens on {@code host:port} (port 0: any free port) and starts accepting. */
    public static NodeLinkServer start(SSLContext tls, String host, int port, HandOverReceiver receiver)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        NodeLinkServer server = new NodeLinkServer(socket, tls, receiver);
        server.acceptor.start();
        return server;
    }

    /** HOST:PORT it listens on. */
    public String address() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket plain = socket.accept();
                open.add(plain);
                Thread.ofVirtual().name("node-link-connection").start(() -> serve(plain));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("node link accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket plain) {
        try (plain;
                SSLSocket client = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, true)) {
            client.setUseClientMode(false);
            client.setEnabledProtocols(new String[] {"TLSv1.3"});
            client.setNeedClientAuth(true);
            client.setSoTimeout((int) IDLE.toMillis());
            client.startHandshake(); // no cluster key on the other side: fails here
            DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(client.getOutputStream()));
            if (in.readInt() != LinkProtocol.MAGIC || in.readInt() != LinkProtocol.VERSION) {
                LOG.warn(
                        "node link from {}: not a PoolMTA node link of version {}", peer(client), LinkProtocol.VERSION);
                return;
            }
            String from = LinkProtocol.readString(in);
            int op;
            while ((op = LinkProtocol.readOp(in)) != -1) {
                if (op != LinkProtocol.HAND_OVER) {
                    LOG.warn("node link from {}: unknown operation {}", from, op);
                    return;
                }
                int attempts = in.readInt();
                byte[] record = LinkProtocol.readRecord(in);
                answer(out, handOver(from, record, attempts));
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.info("node link from {} closed: {}", peer(plain), e.toString());
            }
        } finally {
            open.remove(plain);
        }
    }

    private record Answer(byte status, String reason) {}

    private Answer handOver(String from, byte[] record, int attempts) {
        try {
            SpooledMessage message = MessageRecords.decode(record);
            receiver.receive(from, message, attempts);
            return new Answer(LinkProtocol.STORED, "stored " + message.messageId());
        } catch (RuntimeException e) {
            LOG.info("hand-over from node {} not taken: {}", from, e.getMessage());
            return new Answer(LinkProtocol.RETRY, String.valueOf(e.getMessage()));
        }
    }

    private static void answer(DataOutputStream out, Answer answer) throws IOException {
        out.writeByte(answer.status());
        LinkProtocol.writeString(out, answer.reason());
        out.flush();
    }

    private static String peer(Socket client) {
        return String.valueOf(client.getRemoteSocketAddress());
    }

    /** Stops accepting and closes every connection; a hand-over cut off before STORED stays with its sender. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
