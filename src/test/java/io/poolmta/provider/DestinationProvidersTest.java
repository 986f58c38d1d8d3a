package io.poolmta.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A domain delivery classified by its MX hosts keeps that provider for counting; the rest is by domain. */
class DestinationProvidersTest {
    private final ProviderTable table = ProviderTable.defaults();
    private final DestinationProviders providers = new DestinationProviders(table);

    @Test
    void byDomainWithoutBeingTold() {
        assertThat(providers.of("ann@gmail.com")).isEqualTo("google");
        assertThat(providers.of("bob@Outlook.COM")).isEqualTo("microsoft");
        assertThat(providers.of("carl@acme.test")).isEqualTo(ProviderTable.OTHER);
    }

    @Test
    void aDomainClassifiedByItsMxHostsIsRemembered() {
        String provider = table.classify("acme.test", List.of("aspmx.l.google.com"));
        assertThat(provider).isEqualTo("google");

        providers.note("ACME.test", provider);

        assertThat(providers.of("carl@acme.test")).isEqualTo("google");
        assertThat(providers.of("dora@other.test")).isEqualTo(ProviderTable.OTHER);
    }
}
