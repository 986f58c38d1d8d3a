package io.poolmta.common;

import java.util.function.Supplier;

/**
 * Runs a change as one atomic unit. Writers are serialised: a check made inside {@code write}
 * (the pool is empty, the name is free) still holds when the change lands. On an exception the
 * whole unit is rolled back and the exception is rethrown.
 */
public interface Transactions {
    <T> T write(Supplier<T> work);

    default void run(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }
}
