package io.poolmta.identity;

import java.util.Optional;

/** The RSA key sizes SES uses for DKIM. */
public enum DkimKeyLength {
    RSA_1024_BIT(1024),
    RSA_2048_BIT(2048);

    public static final DkimKeyLength DEFAULT = RSA_2048_BIT;

    private final int bits;

    DkimKeyLength(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public static Optional<DkimKeyLength> ofBits(int bits) {
        for (DkimKeyLength length : values()) {
            if (length.bits == bits) {
                return Optional.of(length);
            }
        }
        return Optional.empty();
    }
}
