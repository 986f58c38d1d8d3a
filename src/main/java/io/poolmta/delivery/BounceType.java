package io.poolmta.delivery;

/**
 * The {@code bounceType} of a Bounce event, as SES names it: Permanent for a 5xx reply or a
 * destination that can never be reached, Transient for a message that expired while its
 * failures were temporary. The sub-type is always {@link #SUB_TYPE}: PoolMTA does not tell a
 * missing mailbox from a refused message yet.
 */
enum BounceType {
    PERMANENT("Permanent"),
    TRANSIENT("Transient");

    /** SES's {@code bounceSubType} when nothing more is known. */
    static final String SUB_TYPE = "General";

    private final String sesName;

    BounceType(String sesName) {
        this.sesName = sesName;
    }

    /** The name events carry. */
    String sesName() {
        return sesName;
    }
}
