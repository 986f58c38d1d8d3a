package io.poolmta.ip;

import io.poolmta.common.PoolMtaException;

/** A dotted-quad IPv4 address, validated strictly: four decimal octets 0–255, no leading zeros. */
public record Ipv4(String text) implements Comparable<Ipv4> {
    public Ipv4 {
        if (!valid(text)) {
            throw PoolMtaException.badRequest(
                    "'" + printable(text) + "' is not an IPv4 address; use dotted-quad form such as 192.0.2.10.");
        }
    }

    public static Ipv4 parse(String text) {
        return new Ipv4(text);
    }

    public static boolean valid(String text) {
        if (text == null || text.length() > 15) {
            return false;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** A key that sorts numerically as text: 127.0.0.9 before 127.0.0.10. */
    public String sortKey() {
        String[] parts = text.split("\\.");
        return String.format(
                "%03d.%03d.%03d.%03d",
                Integer.parseInt(parts[0]),
                Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]),
                Integer.parseInt(parts[3]));
    }

    /** The address as an unsigned 32-bit number. */
    public long value() {
        long value = 0;
        int octet = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                value = (value << 8) | octet;
                octet = 0;
            } else {
                octet = octet * 10 + (c - '0');
            }
        }
        return (value << 8) | octet;
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Long.compare(value(), other.value());
    }

    @Override
    public String toString() {
        return text;
    }

    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
