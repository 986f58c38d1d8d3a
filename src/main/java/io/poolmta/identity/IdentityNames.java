package io.poolmta.identity;

import io.poolmta.common.PoolMtaException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identity names as SES takes them: a domain ({@code example.com}: at least two labels of letters,
 * digits and hyphens, 1-63 each, at most 253 characters, a top-level label that is not all digits)
 * or an email address ({@code local@domain}: a dot-atom local part of at most 64 characters and such
 * a domain). Domains are kept in lower case, the local part as given. Non-ASCII names must be given
 * in their ASCII (xn--) form.
 */
public final class IdentityNames {
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
    private static final Pattern ATOM = Pattern.compile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$");

    /** A valid identity name and its kind. */
    public record Parsed(String name, IdentityType type) {}

    private IdentityNames() {}

    public static Parsed parse(String text) {
        if (text == null || text.isEmpty()) {
            throw PoolMtaException.badRequest("EmailIdentity is required.");
        }
        if (text.length() > 320) {
            throw invalid(text, "it is longer than 320 characters");
        }
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return new Parsed(domain(text, text), IdentityType.DOMAIN);
        }
        String local = text.substring(0, at);
        if (local.isEmpty() || local.length() > 64) {
            throw invalid(text, "the part before '@' must be 1-64 characters");
        }
        for (String atom : local.split("\\.", -1)) {
            if (!ATOM.matcher(atom).matches()) {
                throw invalid(
                        text, "the part before '@' must be dot-separated letters, digits and !#$%&'*+/=?^_`{|}~-");
            }
        }
        return new Parsed(local + "@" + domain(text.substring(at + 1), text), IdentityType.EMAIL_ADDRESS);
    }

    /** The domain of a domain identity, lower case; BAD_REQUEST if it is not a host name. */
    public static String domain(String domain, String whole) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.length() > 253) {
            throw invalid(whole, "the domain must be 1-253 characters");
        }
        String[] labels = lower.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid(whole, "the domain needs at least two labels, such as example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid(
                        whole,
                        "each label of the domain must be 1-63 letters, digits or hyphens, not starting"
                                + " or ending with a hyphen (write international names in their xn-- form)");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid(whole, "an IP address is not a domain");
        }
        return lower;
    }

    private static PoolMtaException invalid(String text, String why) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return PoolMtaException.badRequest(
                "Identity '" + shown + "' is not a valid email address or domain: " + why + ".");
    }
}
