package io.poolmta.events;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a host as an IPv4 address the way browsers and {@code inet_aton} do (the WHATWG URL
 * standard's IPv4 parser): one to four dot-separated parts, each decimal, octal (a leading 0) or
 * hexadecimal ({@code 0x}); the last part fills the remaining bytes. So {@code 2852039166},
 * {@code 0xa9fea9fe}, {@code 0251.0376.0251.0376}, {@code 169.254.43518} and {@code 127.1} are all
 * addresses. A host whose last label is a number is an IPv4 address or invalid (never a DNS name):
 * {@link #parse} throws {@link IllegalArgumentException} for it; any other host is a name (empty).
 */
final class Ipv4Literal {
    private static final BigInteger BYTE = BigInteger.valueOf(256);

    private Ipv4Literal() {}

    static Optional<InetAddress> parse(String host) {
        List<String> parts = Arrays.asList(host.split("\\.", -1));
        if (parts.size() > 1 && parts.getLast().isEmpty()) {
            parts = parts.subList(0, parts.size() - 1);
        }
        if (parts.isEmpty() || !isNumber(parts.getLast())) {
            return Optional.empty();
        }
        if (parts.size() > 4) {
            throw new IllegalArgumentException("ends in a number but is not an IPv4 address: '" + host + "'");
        }
        BigInteger[] numbers = new BigInteger[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            numbers[i] = number(parts.get(i));
            if (numbers[i] == null) {
                throw new IllegalArgumentException("ends in a number but is not an IPv4 address: '" + host + "'");
            }
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i].compareTo(BigInteger.valueOf(255)) > 0) {
                throw new IllegalArgumentException("has an IPv4 part over 255: '" + host + "'");
            }
            value = value.add(numbers[i].multiply(BYTE.pow(3 - i)));
        }
        BigInteger last = numbers[numbers.length - 1];
        if (last.compareTo(BYTE.pow(5 - numbers.length)) >= 0) {
            throw new IllegalArgumentException("is an IPv4 number out of range: '" + host + "'");
        }
        value = value.add(last);
        long v = value.longValue();
        byte[] bytes = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The WHATWG "ends in a number" test for the last label. */
    private static boolean isNumber(String part) {
        if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (part.startsWith("0x") || part.startsWith("0X"))
                && part.substring(2).chars().allMatch(Ipv4Literal::isHex);
    }

    private static BigInteger number(String part) {
        if (part.isEmpty() || part.length() > 40) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x") || part.startsWith("0X")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return BigInteger.ZERO;
            }
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        int r = radix;
        boolean ascii = digits.chars().allMatch(c -> r == 16 ? isHex(c) : c >= '0' && c < '0' + r);
        return ascii ? new BigInteger(digits, radix) : null;
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
