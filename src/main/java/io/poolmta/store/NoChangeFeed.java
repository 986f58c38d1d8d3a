package io.poolmta.store;

import java.sql.Connection;
import java.util.Set;

/** The change feed of a database only this process uses: nothing to announce, nothing to hear. */
enum NoChangeFeed implements ChangeFeed {
    INSTANCE;

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public void announce(Connection c, Set<String> tables) {}

    @Override
    public void start(Listener listener) {}

    @Override
    public void close() {}
}
