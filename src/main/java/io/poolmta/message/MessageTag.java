package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.util.regex.Pattern;

/**
 * A message tag for event publishing (SES {@code MessageTag}): name 1-256 and value 0-256 characters
 * of ASCII letters, digits, '_' and '-'.
 */
public record MessageTag(String name, String value) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{0,256}");

    public MessageTag {
        if (name == null || !NAME.matcher(name).matches()) {
            throw PoolMtaException.badRequest("Message tag name '" + UserText.shown(String.valueOf(name))
                    + "' is invalid: use 1-256 ASCII letters, digits, '_' or '-'.");
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            throw PoolMtaException.badRequest("The value '" + UserText.shown(String.valueOf(value))
                    + "' of message tag " + name + " is invalid: use up to 256 ASCII letters, digits, '_' or '-'.");
        }
    }
}
