package io.poolmta.pool;

import io.poolmta.common.PoolMtaException;
import java.util.regex.Pattern;

/**
 * Pool names: the two reserved names, and the pattern an account's own pools follow
 * ({@code ^[a-z0-9_-]{1,64}$}, not starting with {@code ses-}).
 */
public final class PoolNames {
    public static final String DEFAULT_POOL = "ses-default-dedicated-pool";
    public static final String SHARED_POOL = "ses-shared-pool";
    private static final Pattern CUSTOM = Pattern.compile("^[a-z0-9_-]{1,64}$");

    private PoolNames() {}

    public static boolean isReserved(String name) {
        return DEFAULT_POOL.equals(name) || SHARED_POOL.equals(name);
    }

    /** Throws a BadRequest that says what is wrong with a name for a pool the account creates. */
    public static String requireValidCustom(String name) {
        if (name == null || name.isEmpty()) {
            throw PoolMtaException.badRequest("PoolName is required.");
        }
        if (isReserved(name)) {
            throw PoolMtaException.badRequest(
                    "Pool name " + name + " describes either a shared or default dedicated ip pool; it is reserved.");
        }
        if (name.length() > 64) {
            throw PoolMtaException.badRequest("PoolName must be at most 64 characters, got " + name.length() + ".");
        }
        if (!CUSTOM.matcher(name).matches()) {
            throw PoolMtaException.badRequest("PoolName may contain only lowercase letters, digits, '_' and '-'.");
        }
        if (name.startsWith("ses-")) {
            throw PoolMtaException.badRequest("Pool names starting with 'ses-' are reserved.");
        }
        return name;
    }
}
