package io.poolmta.common;

/**
 * Which node of a cluster does a task that must be done once for all of them. A single node does
 * every task ({@link #SOLE}); in a cluster the answer holds for a lease period at least, so a task
 * run right after asking is not run by another node at the same time (given node clocks that
 * agree to well within that period).
 */
@FunctionalInterface
public interface Leadership {
    /** The single node: it does every task. */
    Leadership SOLE = task -> true;

    /** Whether this node should do {@code task} now; takes or renews the task's lease. */
    boolean holds(String task);
}
