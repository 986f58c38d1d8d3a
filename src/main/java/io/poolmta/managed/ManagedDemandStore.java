package io.poolmta.managed;

import java.util.Map;

/**
 * Unmet demand handed between nodes: a node that does not scale managed pools adds what its
 * source selection missed; the node that scales takes everything added so far.
 */
public interface ManagedDemandStore {
    /** A store for a single node: nothing is ever handed over. */
    ManagedDemandStore NONE = new ManagedDemandStore() {
        @Override
        public void add(Map<ManagedDemand.Key, Long> misses) {}

        @Override
        public Map<ManagedDemand.Key, Long> takeAll() {
            return Map.of();
        }
    };

    void add(Map<ManagedDemand.Key, Long> misses);

    /** Everything added so far, removed from the store. */
    Map<ManagedDemand.Key, Long> takeAll();
}
