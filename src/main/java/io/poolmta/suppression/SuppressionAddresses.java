package io.poolmta.suppression;

import io.poolmta.message.EmailAddresses;
import java.util.Locale;

/**
 * The one spelling of an address on the list: the addr-spec, lower-cased, so that
 * {@code Jane@Example.COM} and {@code jane@example.com} are one entry (as mailbox providers treat
 * them), and its 64-bit hash for the in-memory index.
 */
public final class SuppressionAddresses {
    private SuppressionAddresses() {}

    /** The normalised address; BAD_REQUEST naming {@code field} when it is not an email address. */
    public static String normalize(String address, String field) {
        String spec = EmailAddresses.envelopeAddress(address.strip(), field);
        return spec.toLowerCase(Locale.ROOT);
    }

    /** The normalised form of an address already validated (an envelope recipient). */
    public static String normalizeValid(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    /** FNV-1a over the chars, then a 64-bit finaliser (murmur3 fmix64) to spread the bits; never 0. */
    public static long hash(String normalized) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < normalized.length(); i++) {
            h ^= normalized.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
