package io.poolmta.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.LoopbackDnsServer;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SPF subset PoolMTA evaluates, against records in a DNS server on loopback. */
class SpfTest {
    static LoopbackDnsServer dns;
    static Spf spf;

    @BeforeAll
    static void start() throws Exception {
        dns = LoopbackDnsServer.start();
        spf = new Spf(new DnsTxtLookup(Optional.of(dns.address())));
        dns.txt("ip4.example", "v=spf1 ip4:127.0.0.11 ip4:127.0.1.0/24 -all")
                .txt("ip4.example", "some-site-verification=abc")
                .txt("soft.example", "v=spf1 ip4:127.0.0.99 ~all")
                .txt("a.example", "v=spf1 a a:out.a.example/30 -all")
                .a("a.example", "127.0.0.21")
                .a("out.a.example", "127.0.0.40")
                .txt("mx.example", "v=spf1 mx ?all")
                .mx("mx.example", 10, "mail.mx.example")
                .a("mail.mx.example", "127.0.0.31")
                .txt("include.example", "v=spf1 include:ip4.example include:soft.example -all")
                .txt("redirect.example", "v=spf1 redirect=ip4.example")
                .txt("loop.example", "v=spf1 include:loop.example -all")
                .txt("two.example", "v=spf1 -all")
                .txt("two.example", "v=spf1 +all")
                .txt("macro.example", "v=spf1 exists:%{i}.spf.example -all")
                .txt("nospf.example", "just text");
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @Test
    void ip4WithAndWithoutPrefix() {
        assertThat(spf.check("127.0.0.11", "ip4.example")).isEqualTo(Spf.Result.PASS);
        assertThat(spf.check("127.0.1.200", "ip4.example")).isEqualTo(Spf.Result.PASS);
        assertThat(spf.check("127.0.0.12", "ip4.example")).isEqualTo(Spf.Result.FAIL);
        assertThat(spf.check("127.0.0.12", "soft.example")).isEqualTo(Spf.Result.SOFTFAIL);
    }

    @Test
    void aAndMxMechanisms() {
        assertThat(spf.check("127.0.0.21", "a.example")).isEqualTo(Spf.Result.PASS);
        assertThat(spf.check("127.0.0.42", "a.example")).isEqualTo(Spf.Result.PASS); // out.a.example/30
        assertThat(spf.check("127.0.0.44", "a.example")).isEqualTo(Spf.Result.FAIL);
        assertThat(spf.check("127.0.0.31", "mx.example")).isEqualTo(Spf.Result.PASS);
        assertThat(spf.check("127.0.0.32", "mx.example")).isEqualTo(Spf.Result.NEUTRAL);
    }

    @Test
    void includeAndRedirect() {
        assertThat(spf.check("127.0.0.11", "include.example")).isEqualTo(Spf.Result.PASS);
        assertThat(spf.check("127.0.0.99", "include.example")).isEqualTo(Spf.Result.PASS);
        assertThat(spf.check("127.0.0.98", "include.example")).isEqualTo(Spf.Result.FAIL); // ~all inside: no match
        assertThat(spf.check("127.0.0.11", "redirect.example")).isEqualTo(Spf.Result.PASS);
        assertThat(spf.check("127.0.0.12", "redirect.example")).isEqualTo(Spf.Result.FAIL);
    }

    @Test
    void errorsAndAbsence() {
        assertThat(spf.check("127.0.0.11", "loop.example")).isEqualTo(Spf.Result.PERMERROR); // > 10 lookups
        assertThat(spf.check("127.0.0.11", "two.example")).isEqualTo(Spf.Result.PERMERROR);
        assertThat(spf.check("127.0.0.11", "macro.example")).isEqualTo(Spf.Result.PERMERROR);
        assertThat(spf.check("127.0.0.11", "nospf.example")).isEqualTo(Spf.Result.NONE);
        assertThat(spf.check("127.0.0.11", "missing.example")).isEqualTo(Spf.Result.NONE);
        assertThat(Spf.isSpfRecord("V=SPF1 -all")).isTrue();
        assertThat(Spf.isSpfRecord("v=spf10")).isFalse();
    }
}
