package io.poolmta.submission;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admits submission sessions, shared by the listeners of one server: at most {@code max} at once,
 * at most {@code perAddress} from one client IP address. A session beyond either limit is answered
 * {@code 421 4.7.0} instead of the greeting and closed at once, so a burst of connections is never
 * left waiting without an answer and one client cannot take every slot. Thread-safe.
 */
final class ConnectionLimits implements SessionHandler {
    static final String TOO_MANY = "4.7.0 Too many connections, try again later";
    static final String TOO_MANY_FROM_ADDRESS = "4.7.0 Too many connections from your address, try again later";

    private final int max;
    private final int perAddress;
    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private int total;

    ConnectionLimits(int max, int perAddress) {
        this.max = max;
        this.perAddress = perAddress;
    }

    @Override
    public synchronized SessionAcceptance accept(Session session) {
        InetAddress client = session.getSocket().getInetAddress();
        if (total >= max) {
            return SessionAcceptance.failure(421, TOO_MANY);
        }
        int fromClient = byAddress.getOrDefault(client, 0);
        if (fromClient >= perAddress) {
            return SessionAcceptance.failure(421, TOO_MANY_FROM_ADDRESS);
        }
        byAddress.put(client, fromClient + 1);
        total++;
        return SessionAcceptance.success();
    }

    /** Called only for sessions {@link #accept} admitted. */
    @Override
    public synchronized void onSessionEnd(Session session) {
        InetAddress client = session.getSocket().getInetAddress();
        byAddress.computeIfPresent(client, (address, count) -> count > 1 ? count - 1 : null);
        total--;
    }

    synchronized int open() {
        return total;
    }
}
