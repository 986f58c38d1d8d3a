package io.poolmta.testing;

import io.poolmta.store.ChangeFeed;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A change feed for two "nodes" in one test on one database: it keeps what its node announced and
 * hands it to another node's listener when the test says so ({@link #deliverTo}), as PostgreSQL
 * would after the commit.
 */
public final class LinkedChangeFeed implements ChangeFeed {
    private final List<Set<String>> announced = new ArrayList<>();
    private Listener listener;

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public synchronized void announce(Connection c, Set<String> tables) {
        announced.add(Set.copyOf(tables));
    }

    @Override
    public void start(Listener l) {
        this.listener = l;
    }

    /** Hands everything this node announced so far to the other node, in order. */
    public void deliverTo(LinkedChangeFeed other) {
        List<Set<String>> out;
        synchronized (this) {
            out = List.copyOf(announced);
            announced.clear();
        }
        out.forEach(other.listener::changed);
    }

    @Override
    public void close() {}
}
