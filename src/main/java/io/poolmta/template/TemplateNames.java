package io.poolmta.template;

import io.poolmta.common.PoolMtaException;
import java.util.regex.Pattern;

/** Template names as SES allows them: 1-64 letters, digits, underscores and hyphens. */
public final class TemplateNames {
    public static final int MAX_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private TemplateNames() {}

    public static String requireValid(String name) {
        if (name == null || name.isEmpty()) {
            throw PoolMtaException.badRequest("TemplateName is required.");
        }
        if (!NAME.matcher(name).matches()) {
            throw PoolMtaException.badRequest(
                    "TemplateName must be 1-" + MAX_LENGTH + " letters, digits, underscores or hyphens.");
        }
        return name;
    }
}
