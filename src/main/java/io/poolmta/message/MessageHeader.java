package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A custom header field of a Simple message (SES {@code MessageHeader}). Invariants, from the SES
 * model and RFC 5322: the name is 1-126 printable ASCII characters without ':' (RFC 5322
 * field-name); the value is 1-995 printable ASCII characters (non-ASCII text must already be an
 * RFC 2047 encoded-word), never a line break, so a value cannot smuggle in another header; name
 * and value together are at most 996 characters, so the field fits one 998-character line.
 */
public record MessageHeader(String name, String value) {
    public static final int MAX_NAME_LENGTH = 126;
    public static final int MAX_VALUE_LENGTH = 995;
    public static final int MAX_FIELD_LENGTH = 996;

    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");
    private static final Pattern PRINTABLE = Pattern.compile("[ -~]*");

    public MessageHeader {
        if (name == null || name.isEmpty()) {
            throw PoolMtaException.badRequest("A header name is required.");
        }
        if (name.length() > MAX_NAME_LENGTH || !FIELD_NAME.matcher(name).matches()) {
            throw PoolMtaException.badRequest("Header name '" + UserText.shown(name)
                    + "' is invalid: use 1-126 printable ASCII characters, without ':' or spaces.");
        }
        Objects.requireNonNull(value, () -> "Header " + name + " has no value");
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw PoolMtaException.badRequest(
                    "The value of header " + name + " must not contain line breaks (CR or LF).");
        }
        if (value.isBlank()) {
            throw PoolMtaException.badRequest("The value of header " + name + " must not be empty.");
        }
        if (!PRINTABLE.matcher(value).matches()) {
            throw PoolMtaException.badRequest("The value of header " + name
                    + " must be printable ASCII; write other characters as RFC 2047 encoded-words.");
        }
        if (value.length() > MAX_VALUE_LENGTH || name.length() + value.length() > MAX_FIELD_LENGTH) {
            throw PoolMtaException.badRequest("Header " + name + " is too long: the value may have at most "
                    + MAX_VALUE_LENGTH + " characters and name and value together at most " + MAX_FIELD_LENGTH + ".");
        }
    }

    /** True when this header has the given name (field names are case-insensitive). */
    public boolean is(String fieldName) {
        return name.equalsIgnoreCase(fieldName);
    }
}
