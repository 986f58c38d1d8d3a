package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook address policy against every spelling of an internal address the security report
 * names (and their relatives): IP literals are read by PoolMTA itself and never looked up; names
 * go through an injected resolver, so no DNS is involved.
 */
class WebhookAddressPolicyTest {
    private final List<String> lookedUp = new ArrayList<>();
    /** Test names and what they "resolve" to. */
    private final Map<String, String> dns = Map.of(
            "hooks.example.com", "93.184.216.34",
            "evil.example.com", "10.1.2.3",
            "mapped.example.com", "::ffff:169.254.169.254",
            "hooks.corp.example", "10.9.9.9");

    private final WebhookTargets.Resolver resolver = host -> {
        lookedUp.add(host);
        String address = dns.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.ofLiteral(address));
    };
    private final WebhookTargets strict = new WebhookTargets(WebhookAddressPolicy.strict(), resolver);

    @ParameterizedTest
    @ValueSource(
            strings = {
                // metadata, in every spelling
                "http://169.254.169.254/latest/meta-data/",
                "http://2852039166/",
                "http://0xa9fea9fe/",
                "http://0XA9FEA9FE/",
                "http://0251.0376.0251.0376/",
                "http://0xa9.0xfe.0xa9.0xfe/",
                "http://169.254.43518/",
                "http://169.16689662/",
                "http://0251.0xfe.43518/",
                "http://169.254.169.254./",
                "http://[::ffff:169.254.169.254]/",
                "http://[::ffff:a9fe:a9fe]/",
                "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
                "http://[::169.254.169.254]/",
                "http://[64:ff9b::169.254.169.254]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "http://[2002:a9fe:a9fe::1]/",
                "http://[fd00:ec2::254]/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://METADATA.google.INTERNAL./",
                "http://metadata/",
                "http://168.63.129.16/",
                "http://100.100.100.200/",
                // loopback
                "http://127.0.0.1:8580/admin/v1/accounts",
                "http://127.1/",
                "http://0177.1/",
                "http://0x7f.1/",
                "http://2130706433/",
                "http://127.255.255.254/",
                "http://[::1]/",
                "http://[0:0:0:0:0:0:0:1]/",
                "http://[::ffff:127.0.0.1]/",
                "http://localhost:8080/",
                "http://api.localhost/",
                // unspecified
                "http://0.0.0.0/",
                "http://0/",
                "http://0x0/",
                "http://[::]/",
                // private, CGNAT, link-local, unique-local, site-local, multicast, reserved
                "http://10.0.0.1/",
                "http://012.1/",
                "http://172.16.0.1/",
                "http://172.31.255.255/",
                "http://192.168.1.1/",
                "http://3232235777/",
                "http://100.64.0.1/",
                "http://169.254.1.1/",
                "http://[fe80::1]/",
                "http://[febf::1]/",
                "http://[fc00::1]/",
                "http://[fd12:3456::1]/",
                "http://[fec0::1]/",
                "http://224.0.0.1/",
                "http://239.255.255.250/",
                "http://[ff02::1]/",
                "http://255.255.255.255/",
                "http://240.0.0.1/",
                "http://[::ffff:10.0.0.1]/",
                "http://[64:ff9b::10.0.0.1]/",
                "http://[64:ff9b:1::1]/",
                "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
                "https://[::ffff:192.168.0.1]:8443/hook",
                // internal names
                "http://vault.internal/",
                "http://printer.local/",
                "http://db.localdomain/",
                "http://router.home.arpa/",
            })
    void internalDestinationsAreRefusedWhateverTheSpelling(String url) {
        assertThatThrownBy(() -> strict.resolve(url))
                .as(url)
                .isInstanceOf(WebhookRefusedException.class)
                .satisfies(e -> assertThat(((WebhookRefusedException) e).internal())
                        .as("refused as internal")
                        .isTrue());
        assertThat(strict.refusal(url)).as(url).isPresent();
        assertThat(lookedUp)
                .as("internal names and literals are never looked up")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://1.2.3.4.5/",
                "http://256.1.1.1/",
                "http://1.2.3.256/",
                "http://4294967296/",
                "http://0x100000000/",
                "http://09.1.1.1/",
                "http://foo.123/",
                "http://[fe80::1%25eth0]/",
                "http://%31%32%37.0.0.1/",
                "http://exa mple.com/",
                "ftp://example.com/",
                "file:///etc/passwd",
                "http:///nohost",
            })
    void hostsThatAreNeitherAddressNorNameAreRefused(String url) {
        assertThatThrownBy(() -> strict.resolve(url)).as(url).isInstanceOf(WebhookRefusedException.class);
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void publicAddressesAndNamesAreAllowed() throws Exception {
        assertThat(strict.resolve("https://93.184.216.34/hook").addresses())
                .containsExactly(InetAddress.ofLiteral("93.184.216.34"));
        assertThat(strict.resolve("http://1558767650/").addresses())
                .containsExactly(InetAddress.ofLiteral("92.232.232.34"));
        assertThat(strict.resolve("http://[2606:4700:4700::1111]/").addresses())
                .containsExactly(InetAddress.ofLiteral("2606:4700:4700::1111"));
        assertThat(strict.resolve("http://[64:ff9b::8.8.8.8]/")).isNotNull(); // NAT64 of a public address
        assertThat(strict.resolve("http://[::ffff:8.8.8.8]/").addresses())
                .containsExactly(InetAddress.ofLiteral("8.8.8.8"));
        WebhookTargets.Target named = strict.resolve("https://Hooks.Example.com.:8443/ses?x=1");
        assertThat(named.addresses()).containsExactly(InetAddress.ofLiteral("93.184.216.34"));
        assertThat(named.url().host()).isEqualTo("hooks.example.com");
        assertThat(named.url().hostHeader()).isEqualTo("hooks.example.com:8443");
        assertThat(named.url().target()).isEqualTo("/ses?x=1");
        assertThat(lookedUp).containsExactly("hooks.example.com");
    }

    @Test
    void aNameIsJudgedByEveryAddressItResolvesTo() {
        assertThatThrownBy(() -> strict.resolve("http://evil.example.com/"))
                .isInstanceOf(WebhookRefusedException.class)
                .hasMessageContaining("10.1.2.3")
                .hasMessageContaining("private");
        assertThatThrownBy(() -> strict.resolve("http://mapped.example.com/"))
                .isInstanceOf(WebhookRefusedException.class)
                .hasMessageContaining("169.254.169.254");
    }

    @Test
    void anUnresolvableNameIsAcceptedAtConfigurationTimeAndFailsAtConnectionTime() {
        assertThat(strict.refusal("http://not-yet.example.net/")).isEmpty();
        assertThatThrownBy(() -> strict.resolve("http://not-yet.example.net/"))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void theOperatorsAllowListReadmitsRangesAndNames() throws Exception {
        WebhookTargets allowing = new WebhookTargets(
                WebhookAddressPolicy.allowing(List.of("127.0.0.0/8", "fd00::/8", "*.corp.example", "localhost")),
                resolver);

        assertThat(allowing.resolve("http://127.0.0.1:9000/").addresses())
                .containsExactly(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(allowing.resolve("http://127.1/").addresses()).containsExactly(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(allowing.resolve("http://[::ffff:127.0.0.2]/").addresses())
                .containsExactly(InetAddress.ofLiteral("127.0.0.2"));
        assertThat(allowing.resolve("http://[fd12::1]/")).isNotNull();
        assertThat(allowing.resolve("http://hooks.corp.example/").addresses())
                .containsExactly(InetAddress.ofLiteral("10.9.9.9"));
        // what is not on the list stays refused
        assertThatThrownBy(() -> allowing.resolve("http://169.254.169.254/"))
                .isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(() -> allowing.resolve("http://[::1]/")).isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(() -> allowing.resolve("http://evil.example.com/"))
                .isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(() -> allowing.resolve("http://corp.example.internal/"))
                .isInstanceOf(WebhookRefusedException.class);
    }

    @Test
    void aBadAllowListEntryIsRefused() {
        for (String bad : List.of("10.0.0.0/33", "::/129", "not a host", "1.2.3.4/x", "")) {
            assertThatThrownBy(() -> WebhookAddressPolicy.allowing(List.of(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
