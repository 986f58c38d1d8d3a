package io.poolmta.provider;

import java.util.Objects;
import java.util.Set;

/**
 * A bounce as SES names it: {@code bounceType} Permanent, Transient or Undetermined, and its
 * {@code bounceSubType} (Permanent: General, NoEmail, Suppressed, OnAccountSuppressionList;
 * Transient: General, MailboxFull, MessageTooLarge, ContentRejected, AttachmentRejected;
 * Undetermined: Undetermined).
 */
public record BounceVerdict(String bounceType, String bounceSubType) {
    public static final String PERMANENT = "Permanent";
    public static final String TRANSIENT = "Transient";
    public static final String UNDETERMINED = "Undetermined";
    public static final String GENERAL = "General";
    static final Set<String> PERMANENT_SUB_TYPES = Set.of(GENERAL, "NoEmail", "Suppressed", "OnAccountSuppressionList");
    static final Set<String> TRANSIENT_SUB_TYPES =
            Set.of(GENERAL, "MailboxFull", "MessageTooLarge", "ContentRejected", "AttachmentRejected");

    public static final BounceVerdict PERMANENT_GENERAL = new BounceVerdict(PERMANENT, GENERAL);
    public static final BounceVerdict TRANSIENT_GENERAL = new BounceVerdict(TRANSIENT, GENERAL);
    public static final BounceVerdict UNDETERMINED_VERDICT = new BounceVerdict(UNDETERMINED, UNDETERMINED);

    public BounceVerdict {
        Objects.requireNonNull(bounceType);
        Objects.requireNonNull(bounceSubType);
        boolean valid = switch (bounceType) {
            case PERMANENT -> PERMANENT_SUB_TYPES.contains(bounceSubType);
            case TRANSIENT -> TRANSIENT_SUB_TYPES.contains(bounceSubType);
            case UNDETERMINED -> bounceSubType.equals(UNDETERMINED);
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException(
                    "Not an SES bounce type and sub-type: " + bounceType + "/" + bounceSubType);
        }
    }

    public boolean permanent() {
        return bounceType.equals(PERMANENT);
    }
}
