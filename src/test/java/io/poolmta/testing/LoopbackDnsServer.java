package io.poolmta.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * A small authoritative DNS server for tests, over dnsjava, on 127.0.0.1 (UDP and TCP on one
 * random port). Serves the TXT, MX, A and PTR records the test puts in, changeable while it runs:
 * a known name without the asked type answers NOERROR with no records, an unknown name NXDOMAIN.
 * UDP answers larger than the client's buffer (512, or its EDNS size) are truncated, so a client
 * retries over TCP as with a real server. Point dnsjava at {@link #address()}.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    private static final long TTL = 60;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile int queries;
    private volatile boolean closed;

    private LoopbackDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    public static LoopbackDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 16, loopback);
                LoopbackDnsServer server = new LoopbackDnsServer(udp, tcp);
                server.threads.add(Thread.ofPlatform().daemon().name("dns-udp").start(server::serveUdp));
                server.threads.add(Thread.ofPlatform().daemon().name("dns-tcp").start(server::serveTcp));
                return server;
            } catch (IOException taken) {
                udp.close();
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** HOST:PORT, as PoolMTA's {@code dnsResolver} setting takes it. */
    public String hostPort() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    public int queries() {
        return queries;
    }

    /** Adds a TXT record; a value longer than 255 characters is split into strings as in a zone file. */
    public LoopbackDnsServer txt(String name, String value) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            strings.add(value.substring(i, Math.min(value.length(), i + 255)));
        }
        return add(new TXTRecord(name(name), DClass.IN, TTL, strings));
    }

    public LoopbackDnsServer mx(String name, int preference, String host) {
        return add(new MXRecord(name(name), DClass.IN, TTL, preference, name(host)));
    }

    public LoopbackDnsServer a(String name, String ipv4) {
        try {
            return add(new ARecord(name(name), DClass.IN, TTL, InetAddress.getByName(ipv4)));
        } catch (IOException e) {
            throw new IllegalArgumentException(ipv4, e);
        }
    }

    public LoopbackDnsServer ptr(String ipv4, String host) {
        String[] o = ipv4.split("\\.");
        return add(new PTRRecord(
                name(o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa"), DClass.IN, TTL, name(host)));
    }

    /** Removes every record of the name. */
    public LoopbackDnsServer remove(String name) {
        records.remove(name(name));
        return this;
    }

    private LoopbackDnsServer add(Record record) {
        records.computeIfAbsent(record.getName(), n -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(record);
        return this;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private Message answer(Message query) {
        queries++;
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        List<Record> known = records.get(question.getName());
        if (known == null || known.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response;
        }
        for (Record r : known) {
            if (r.getType() == question.getType()) {
                response.addRecord(r, Section.ANSWER);
            }
        }
        return response;
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                OPTRecord opt = query.getOPT();
                int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
                byte[] wire = answer(query).toWire();
                if (wire.length > max) {
                    Message truncated = new Message(query.getHeader().getID());
                    truncated.getHeader().setFlag(Flags.QR);
                    truncated.getHeader().setFlag(Flags.AA);
                    truncated.getHeader().setFlag(Flags.TC);
                    truncated.addRecord(query.getQuestion(), Section.QUESTION);
                    wire = truncated.toWire();
                }
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try (Socket socket = tcp.accept()) {
                socket.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] wire = answer(new Message(query)).toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
