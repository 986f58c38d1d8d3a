package io.poolmta.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strict dotted-quad validation and the numeric sort key of {@link Ipv4}. */
class Ipv4Test {
    @Test
    void acceptsDottedQuadsWithinRange() {
        for (String text : List.of(
                "0.0.0.0", "127.0.0.1", "127.0.0.10", "192.0.2.255", "255.255.255.255", "10.20.30.40", "1.2.3.4")) {
            assertThat(Ipv4.valid(text)).as(text).isTrue();
            assertThat(Ipv4.parse(text).text()).isEqualTo(text);
            assertThat(Ipv4.parse(text)).hasToString(text);
        }
    }

    @Test
    void rejectsEverythingElse() {
        List<String> invalid = Arrays.asList(
                null,
                "",
                "abc",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "1.2.3.256",
                "999.0.0.1",
                "01.2.3.4",
                "1.2.3.04",
                "1.00.3.4",
                "::1",
                "::ffff:127.0.0.1",
                "1..2.3",
                "1.2.3.",
                ".1.2.3",
                " 1.2.3.4",
                "1.2.3.4 ",
                "1.2.3.4\n",
                "+1.2.3.4",
                "-1.2.3.4",
                "1.2.3.-4",
                "0x7f.0.0.1",
                "1.2.3.4/32",
                "1.2.3.a",
                "\uFF11.2.3.4",
                "\u0661.2.3.4",
                "1234.1.1.1",
                "127.000.000.001",
                "1.2.3.4.",
                "1,2,3,4");
        for (String text : invalid) {
            assertThat(Ipv4.valid(text)).as("valid(%s)", text).isFalse();
            PoolMtaException error = catchThrowableOfType(PoolMtaException.class, () -> Ipv4.parse(text));
            assertThat(error).as("parse(%s)", text).isNotNull();
            assertThat(error.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(error.getMessage()).contains("is not an IPv4 address");
        }
    }

    @Test
    void theErrorQuotesTheInputSafely() {
        assertThat(catchThrowableOfType(PoolMtaException.class, () -> Ipv4.parse("abc"))
                        .getMessage())
                .startsWith("'abc' is not an IPv4 address");
        String withControl = catchThrowableOfType(PoolMtaException.class, () -> Ipv4.parse("1.2.3.4\r\nX: y"))
                .getMessage();
        assertThat(withControl)
                .startsWith("'1.2.3.4??X: y'")
                .doesNotContain("\r")
                .doesNotContain("\n");
        String longOne = catchThrowableOfType(PoolMtaException.class, () -> Ipv4.parse("9".repeat(500)))
                .getMessage();
        assertThat(longOne).contains("9".repeat(64) + "...'").doesNotContain("9".repeat(65));
    }

    @Test
    void sortKeyPadsEveryOctetToThreeDigits() {
        assertThat(Ipv4.parse("127.0.0.9").sortKey()).isEqualTo("127.000.000.009");
        assertThat(Ipv4.parse("1.22.0.255").sortKey()).isEqualTo("001.022.000.255");
        assertThat(Ipv4.parse("0.0.0.0").sortKey()).isEqualTo("000.000.000.000");
    }

    @Test
    void ordersNumericallyNotAsText() {
        assertThat(Ipv4.parse("127.0.0.9")).isLessThan(Ipv4.parse("127.0.0.10"));
        assertThat(Ipv4.parse("127.0.0.9").sortKey())
                .isLessThan(Ipv4.parse("127.0.0.10").sortKey());
        assertThat(Ipv4.parse("9.255.255.255")).isLessThan(Ipv4.parse("10.0.0.0"));
        assertThat(Ipv4.parse("127.0.0.2").compareTo(Ipv4.parse("127.0.0.2"))).isZero();

        List<Ipv4> ips = new ArrayList<>();
        for (String s :
                List.of("127.0.0.100", "127.0.0.9", "10.0.0.1", "127.0.1.0", "127.0.0.10", "2.0.0.0", "127.0.0.11")) {
            ips.add(Ipv4.parse(s));
        }
        ips.sort(null);
        assertThat(ips)
                .extracting(Ipv4::text)
                .containsExactly(
                        "2.0.0.0", "10.0.0.1", "127.0.0.9", "127.0.0.10", "127.0.0.11", "127.0.0.100", "127.0.1.0");
    }

    @Test
    void equalAddressesAreEqualValues() {
        assertThat(Ipv4.parse("127.0.0.11"))
                .isEqualTo(new Ipv4("127.0.0.11"))
                .hasSameHashCodeAs(Ipv4.parse("127.0.0.11"));
        assertThat(Ipv4.parse("127.0.0.11")).isNotEqualTo(Ipv4.parse("127.0.0.12"));
    }
}
