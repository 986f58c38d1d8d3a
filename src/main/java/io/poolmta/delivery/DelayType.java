package io.poolmta.delivery;

/**
 * The {@code delayType} of a DeliveryDelay event, as SES names it: why the recipients were not
 * delivered yet. Which one a reply means is decided in {@link OutcomeClassifier}; the others come
 * from failures before any reply ({@link EgressRouter}, {@link PathConnections}).
 */
enum DelayType {
    /** PoolMTA itself failed (the message could not be read back, an unexpected error). */
    INTERNAL_FAILURE("InternalFailure"),
    /** The receiver said the mailbox is full (452, 4.2.2). */
    MAILBOX_FULL("MailboxFull"),
    /** The receiver throttled the sending IP, or the IP's pool has no address. */
    IP_FAILURE("IPFailure"),
    /** No server could be reached, or its DNS could not be looked up. */
    TRANSIENT_COMMUNICATION_FAILURE("TransientCommunicationFailure"),
    /** The receiver answered with any other temporary failure. */
    RECIPIENT_SERVER_ERROR("RecipientServerError");

    private final String sesName;

    DelayType(String sesName) {
        this.sesName = sesName;
    }

    /** The name events carry. */
    String sesName() {
        return sesName;
    }
}
