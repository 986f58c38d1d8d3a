package io.poolmta.suppression;

import io.poolmta.common.PoolMtaException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Why an address is on the list, with SES's names; also the reasons an account suppresses for. */
public enum SuppressionReason {
    BOUNCE,
    COMPLAINT;

    /** The reason SES calls {@code name}; BAD_REQUEST naming {@code field} otherwise. */
    public static SuppressionReason parse(String name, String field) {
        for (SuppressionReason r : values()) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw PoolMtaException.badRequest("Field '" + field + "' must be BOUNCE or COMPLAINT, got '" + name + "'.");
    }

    /** A set of reasons as text, e.g. "BOUNCE,COMPLAINT" (empty for none). */
    public static String format(Set<SuppressionReason> reasons) {
        return String.join(",", reasons.stream().map(Enum::name).sorted().toList());
    }

    /** The inverse of {@link #format}. */
    public static Set<SuppressionReason> parseSet(String text) {
        EnumSet<SuppressionReason> out = EnumSet.noneOf(SuppressionReason.class);
        if (!text.isBlank()) {
            for (String name : text.split(",")) {
                out.add(valueOf(name.trim()));
            }
        }
        return out;
    }

    public static Set<SuppressionReason> of(Collection<SuppressionReason> reasons) {
        return reasons.isEmpty() ? EnumSet.noneOf(SuppressionReason.class) : EnumSet.copyOf(reasons);
    }

    /** SES's default for new accounts: both. */
    public static final List<SuppressionReason> DEFAULT = List.of(BOUNCE, COMPLAINT);
}
