package io.poolmta.server;

import io.poolmta.ip.Ipv4;
import io.poolmta.ip.LocalAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** An address is usable when a socket can bind to it on this host. */
public final class SocketBindCheck implements LocalAddresses {
    @Override
    public boolean canBind(Ipv4 address) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address.text()), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
