package io.poolmta.events;

/**
 * A webhook destination refused; the message says why. {@code internal}: refused by the address
 * policy (an internal destination), rather than for its syntax.
 */
public final class WebhookRefusedException extends Exception {
    private final boolean internal;

    public WebhookRefusedException(String reason, boolean internal) {
        super(reason);
        this.internal = internal;
    }

    public boolean internal() {
        return internal;
    }
}
