package io.poolmta.delivery;

/**
 * Why delivery gave up on a recipient: PERMANENT for a 5xx reply or a destination that can never
 * be reached, TRANSIENT for a message that expired while its failures were temporary. The Bounce
 * event's SES type and sub-type are the shared classifier's reading of the reply
 * ({@link OutcomeClassifier#verdict}): a 550 5.1.1 is Permanent/NoEmail, a 552 5.2.2
 * Transient/MailboxFull.
 */
enum BounceType {
    PERMANENT("Permanent"),
    TRANSIENT("Transient");

    private final String sesName;

    BounceType(String sesName) {
        this.sesName = sesName;
    }

    /** The name events carry. */
    String sesName() {
        return sesName;
    }
}
