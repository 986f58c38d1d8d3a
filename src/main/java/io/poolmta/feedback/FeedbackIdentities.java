package io.poolmta.feedback;

/** What the feedback path asks of the accounts' identities (implemented over the identity service). */
public interface FeedbackIdentities {
    /** Whether {@code domain} is a verified custom MAIL FROM domain of one of the account's identities. */
    boolean isMailFromDomain(String accountId, String domain);

    /**
     * Whether the identity that sent from {@code fromAddress} (the address identity, else its
     * domain's) has feedback forwarding on (SES's {@code EmailForwardingEnabled}).
     */
    boolean forwardsFeedback(String accountId, String fromAddress);

    /** No custom MAIL FROM domains, no forwarding. */
    FeedbackIdentities NONE = new FeedbackIdentities() {
        @Override
        public boolean isMailFromDomain(String accountId, String domain) {
            return false;
        }

        @Override
        public boolean forwardsFeedback(String accountId, String fromAddress) {
            return false;
        }
    };
}
