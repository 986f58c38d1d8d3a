package io.poolmta.cli;

/** A failure to report to the operator as one line, exit code 1. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message, null, false, false);
    }
}
