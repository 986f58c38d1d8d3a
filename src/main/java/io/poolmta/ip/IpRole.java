package io.poolmta.ip;

/** What the operator uses an address for. */
public enum IpRole {
    /** Leased to one account; sits in one of its pools or in its default pool. */
    DEDICATED,
    /** In {@code ses-shared-pool}, shared by every account; accounts never see it. */
    SHARED,
    /** Held back for managed pools to draw from. */
    RESERVE
}
