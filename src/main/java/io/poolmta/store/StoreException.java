package io.poolmta.store;

/** The database failed. Callers see an internal error; the cause is logged, never sent to clients. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
