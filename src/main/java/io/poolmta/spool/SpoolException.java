package io.poolmta.spool;

/** The spool could not store a message (disk full, unwritable): the message is NOT accepted. */
public final class SpoolException extends RuntimeException {
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
