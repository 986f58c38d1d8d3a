package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Validates email addresses for the envelope and the From/To/Cc/Reply-To fields. Accepted:
 * {@code local@domain} and the display-name forms {@code Jane <jane@example.com>} and
 * {@code "Doe, Jane" <jane@example.com>}; the local part is a dot-atom (ASCII or UTF-8, RFC 6532) or
 * a quoted string, at most 64 octets; the domain is a host name with at least one dot (labels of
 * letters, digits and hyphens; an internationalised name is turned into its ASCII form) or a
 * bracketed IP literal ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}); the addr-spec is at most
 * 320 characters. Anything else fails with a BAD_REQUEST whose message names the address and why.
 */
public final class EmailAddresses {
    public static final int MAX_LENGTH = 320;
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    public static final int MAX_DOMAIN_LENGTH = 253;

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private EmailAddresses() {}

    /** A mailbox from "addr" or "Name <addr>". */
    public static Mailbox parse(String text) {
        return parse(text, null);
    }

    /** As {@link #parse(String)}; {@code field} (e.g. "Destination.ToAddresses[0]") is named in errors. */
    public static Mailbox parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw PoolMtaException.badRequest("Email address" + in(field) + " must not be empty.");
        }
        List<AddressList.Entry> entries = AddressList.parse(text);
        if (entries.isEmpty()) {
            throw invalid(text, field, "it contains no address");
        }
        if (entries.size() > 1) {
            throw invalid(text, field, "it contains more than one address");
        }
        AddressList.Entry entry = entries.getFirst();
        if (entry.group() != null) {
            throw invalid(text, field, "address groups are not allowed here");
        }
        if (!entry.wellFormed()) {
            throw invalid(text, field, "it is not of the form local@domain or Name <local@domain>");
        }
        String address = requireAddrSpec(entry.addrSpec(), field);
        return new Mailbox(Optional.of(entry.displayName()), address);
    }

    /** The envelope address (addr-spec) of "addr" or "Name <addr>". */
    public static String envelopeAddress(String text, String field) {
        return parse(text, field).address();
    }

    /** True when {@code text} parses as one valid mailbox. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (PoolMtaException e) {
            return false;
        }
    }

    /** Checks a bare addr-spec and returns it normalised (ASCII domain); BAD_REQUEST naming it otherwise. */
    static String requireAddrSpec(String addrSpec, String field) {
        if (addrSpec == null || addrSpec.isEmpty()) {
            throw PoolMtaException.badRequest("Email address" + in(field) + " must not be empty.");
        }
        if (addrSpec.length() > MAX_LENGTH) {
            throw invalid(addrSpec, field, "it is longer than " + MAX_LENGTH + " characters");
        }
        int at = addrSpec.lastIndexOf('@');
        if (at < 0) {
            throw invalid(addrSpec, field, "it has no '@'");
        }
        String local = addrSpec.substring(0, at);
        String domain = addrSpec.substring(at + 1);
        String localProblem = localPartProblem(local);
        if (localProblem != null) {
            throw invalid(addrSpec, field, localProblem);
        }
        if (domain.isEmpty()) {
            throw invalid(addrSpec, field, "the domain is missing");
        }
        String asciiDomain =
                domain.startsWith("[") ? checkLiteral(addrSpec, field, domain) : checkHost(addrSpec, field, domain);
        return local + "@" + asciiDomain;
    }

    private static String localPartProblem(String local) {
        if (local.isEmpty()) {
            return "the local part (before '@') is empty";
        }
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART_OCTETS) {
            return "the local part is longer than " + MAX_LOCAL_PART_OCTETS + " octets";
        }
        if (local.startsWith("\"")) {
            return quotedLocalProblem(local);
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "the local part must not start or end with a dot or contain two dots in a row";
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c != '.' && !isAtext(c, local, i)) {
                return "the local part contains '" + printable(c) + "', which must be quoted";
            }
        }
        return null;
    }

    private static String quotedLocalProblem(String local) {
        if (local.length() < 3 || !local.endsWith("\"")) {
            return "the quoted local part is not closed or is empty";
        }
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= local.length() - 1 || local.charAt(i) < ' ' || local.charAt(i) == 127) {
                    return "the quoted local part has a bad escape";
                }
            } else if (c == '"') {
                return "the quoted local part has an unescaped quote";
            } else if (c < ' ' || c == 127 || (c >= 0x80 && !isUnicodeText(c, local, i))) {
                return "the quoted local part contains a control character";
            }
        }
        return null;
    }

    private static boolean isAtext(char c, String s, int i) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || ATEXT_SPECIALS.indexOf(c) >= 0;
        }
        return isUnicodeText(c, s, i) && !Character.isWhitespace(c) && !Character.isSpaceChar(c);
    }

    /** A UTF-8 (RFC 6532) character: no C1 control, no unpaired surrogate. */
    private static boolean isUnicodeText(char c, String s, int i) {
        if (Character.isISOControl(c)) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        return true;
    }

    private static String checkHost(String addrSpec, String field, String domain) {
        String ascii = domain;
        if (!isAscii(domain)) {
            try {
                ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw invalid(addrSpec, field, "the domain is not a valid internationalised domain name");
            }
        }
        if (ascii.length() > MAX_DOMAIN_LENGTH) {
            throw invalid(addrSpec, field, "the domain is longer than " + MAX_DOMAIN_LENGTH + " characters");
        }
        if (ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
            throw invalid(addrSpec, field, "the domain must not start or end with a dot or contain two dots in a row");
        }
        String[] labels = ascii.split("\\.");
        if (labels.length < 2) {
            throw invalid(addrSpec, field, "the domain must contain a dot");
        }
        for (String label : labels) {
            if (label.length() > 63) {
                throw invalid(
                        addrSpec,
                        field,
                        "the domain label '" + label.substring(0, 20) + "...' is longer than 63 characters");
            }
            if (!isLabel(label)) {
                throw invalid(
                        addrSpec,
                        field,
                        "the domain label '" + label + "' may hold only letters, digits and inner hyphens");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid(addrSpec, field, "an IP address domain must be written in brackets, like [192.0.2.1]");
        }
        return ascii;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** A host name label: letters, digits and inner hyphens, at most 63: {@code [A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?}. */
    static boolean isLabel(String label) {
        int n = label.length();
        if (n == 0 || n > 63 || !isLetterOrDigit(label.charAt(0)) || !isLetterOrDigit(label.charAt(n - 1))) {
            return false;
        }
        for (int i = 1; i < n - 1; i++) {
            char c = label.charAt(i);
            if (c != '-' && !isLetterOrDigit(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String checkLiteral(String addrSpec, String field, String domain) {
        if (!domain.endsWith("]") || domain.length() < 3) {
            throw invalid(addrSpec, field, "the address literal is not closed with ']'");
        }
        String inner = domain.substring(1, domain.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = inner.substring(5);
            if (!v6.isEmpty() && v6.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                try {
                    Inet6Address.ofLiteral(v6);
                    return "[IPv6:" + v6 + "]";
                } catch (IllegalArgumentException e) {
                    // reported below
                }
            }
            throw invalid(addrSpec, field, "'" + v6 + "' is not an IPv6 address");
        }
        if (inner.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            try {
                Inet4Address.ofLiteral(inner);
                return domain;
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw invalid(addrSpec, field, "'" + inner + "' is not an IPv4 address (write IPv6 as [IPv6:...])");
    }

    private static String in(String field) {
        return field == null ? "" : " in " + field;
    }

    private static PoolMtaException invalid(String address, String field, String reason) {
        return PoolMtaException.badRequest(
                "Invalid email address '" + UserText.shown(address, 100) + "'" + in(field) + ": " + reason + ".");
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c);
    }
}
