package io.poolmta.configset;

import io.poolmta.common.PoolMtaException;
import java.util.regex.Pattern;

/** Configuration set names: 1–64 letters, digits, '_' and '-'. */
public final class ConfigurationSetNames {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private ConfigurationSetNames() {}

    public static String requireValid(String name) {
        if (name == null || name.isEmpty()) {
            throw PoolMtaException.badRequest("ConfigurationSetName is required.");
        }
        if (name.length() > 64) {
            throw PoolMtaException.badRequest(
                    "ConfigurationSetName must be at most 64 characters, got " + name.length() + ".");
        }
        if (!NAME.matcher(name).matches()) {
            throw PoolMtaException.badRequest("ConfigurationSetName may contain only letters, digits, '_' and '-'.");
        }
        return name;
    }
}
