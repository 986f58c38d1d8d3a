package io.poolmta.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled providers.json is the table and the throttle replies PoolMTA ships with: the same
 * limits and patterns that were written in code before they became data.
 */
class BundledProvidersTest {
    private final ProviderTable table = ProviderTable.defaults();

    @Test
    void theBundledTableHasTheFourProvidersAndTheirLimits() {
        assertThat(table.providers())
                .extracting(MailboxProvider::name)
                .containsExactly("google", "microsoft", "yahoo", "apple");
        assertThat(table.limits("google")).isEqualTo(new ProviderLimits(4, 100, 0, 0.5));
        assertThat(table.limits("microsoft")).isEqualTo(new ProviderLimits(2, 50, 0, 0.5));
        assertThat(table.limits("yahoo")).isEqualTo(new ProviderLimits(2, 20, 0, 0.5));
        assertThat(table.limits("apple")).isEqualTo(new ProviderLimits(2, 50, 0, 0.5));
        assertThat(table.limits(ProviderTable.OTHER)).isEqualTo(ProviderLimits.DEFAULT);
    }

    @Test
    void theBundledTableClassifiesByDomainThenByMx() {
        assertThat(table.classify("googlemail.com", List.of())).isEqualTo("google");
        assertThat(table.classify("msn.com", List.of())).isEqualTo("microsoft");
        assertThat(table.classify("rocketmail.com", List.of())).isEqualTo("yahoo");
        assertThat(table.classify("mac.com", List.of())).isEqualTo("apple");
        assertThat(table.classify("corp.test", List.of("mx1.eu.protection.outlook.com.")))
                .isEqualTo("microsoft");
        assertThat(table.classify("corp.test", List.of("mta5.am0.yahoodns.net")))
                .isEqualTo("yahoo");
        assertThat(table.classify("corp.test", List.of("mx.corp.test"))).isEqualTo(ProviderTable.OTHER);
    }

    @Test
    void theBundledThrottleRepliesFindPolicyStatusesAndProviderWords() {
        assertThat(ProviderTable.defaultThrottleReplies()
                        .matcher("4.7.0 [TSS04] Messages deferred")
                        .find())
                .isTrue();
        assertThat(ProviderTable.defaultThrottleReplies()
                        .matcher("Too Many Connections from your IP")
                        .find())
                .isTrue();
        assertThat(ProviderTable.defaultThrottleReplies()
                        .matcher("temporarily RATE-LIMITED")
                        .find())
                .isTrue();
        assertThat(ProviderTable.defaultThrottleReplies()
                        .matcher("4.2.2 Mailbox full")
                        .find())
                .isFalse();
        assertThat(ProviderTable.defaultThrottleReplies()
                        .matcher("4.3.0 local error, try 4.7")
                        .find())
                .isFalse();
    }
}
