package io.poolmta.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which verified identities cover a sender address: the address, its domain, its parents. */
class SenderIdentitiesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final MapStore store = new MapStore();
    private final SenderIdentities senders = new SenderIdentities(store, null);

    private static EmailIdentity identity(String account, String name, VerificationStatus status) {
        IdentityType type = name.contains("@") ? IdentityType.EMAIL_ADDRESS : IdentityType.DOMAIN;
        return new EmailIdentity(
                account,
                name,
                type,
                NOW,
                status,
                false,
                DkimAttributes.none(NOW),
                MailFromAttributes.NONE,
                true,
                Optional.empty());
    }

    @Test
    void anAddressIsCoveredByItselfItsDomainAndItsParentsMostSpecificFirst() {
        store.insert(identity("a", "example.com", VerificationStatus.SUCCESS));
        store.insert(identity("a", "mail.example.com", VerificationStatus.SUCCESS));
        store.insert(identity("a", "News@mail.example.com", VerificationStatus.SUCCESS));

        assertThat(senders.covering("a", "News@Mail.Example.COM"))
                .extracting(EmailIdentity::name)
                .containsExactly("News@mail.example.com", "mail.example.com", "example.com");
        assertThat(senders.covering("a", "news@mail.example.com")) // the local part is compared as written
                .extracting(EmailIdentity::name)
                .containsExactly("mail.example.com", "example.com");
        assertThat(senders.covering("a", "x@deep.eu.example.com"))
                .extracting(EmailIdentity::name)
                .containsExactly("example.com");
    }

    @Test
    void onlyVerifiedIdentitiesOfTheSameAccountCover() {
        store.insert(identity("a", "pending.example", VerificationStatus.PENDING));
        store.insert(identity("a", "gone.example", VerificationStatus.TEMPORARY_FAILURE));
        store.insert(identity("b", "other.example", VerificationStatus.SUCCESS));

        assertThat(senders.verified("a", "x@pending.example")).isFalse();
        assertThat(senders.verified("a", "x@gone.example")).isFalse();
        assertThat(senders.verified("a", "x@other.example")).isFalse();
        assertThat(senders.verified("b", "x@other.example")).isTrue();
    }

    @Test
    void aTopLevelDomainOrSomethingThatIsNoAddressIsNeverCovered() {
        store.insert(identity("a", "example.com", VerificationStatus.SUCCESS));
        assertThat(senders.verified("a", "x@com")).isFalse();
        assertThat(senders.verified("a", "example.com")).isFalse();
        assertThat(senders.verified("a", "@example.com")).isFalse();
        assertThat(senders.verified("a", "x@")).isFalse();
    }

    /** Identities in a map, as the SQL store's in-memory view serves them. */
    private static final class MapStore implements IdentityStore {
        private final Map<String, EmailIdentity> rows = new TreeMap<>();

        @Override
        public void insert(EmailIdentity identity) {
            rows.put(identity.accountId() + "/" + identity.name(), identity);
        }

        @Override
        public void update(EmailIdentity identity) {
            insert(identity);
        }

        @Override
        public void delete(String accountId, String name) {
            rows.remove(accountId + "/" + name);
        }

        @Override
        public Optional<EmailIdentity> get(String accountId, String name) {
            return Optional.ofNullable(rows.get(accountId + "/" + name));
        }

        @Override
        public List<EmailIdentity> ofAccount(String accountId) {
            return new ArrayList<>(rows.values().stream()
                    .filter(i -> i.accountId().equals(accountId))
                    .toList());
        }

        @Override
        public List<EmailIdentity> all() {
            return List.copyOf(rows.values());
        }

        @Override
        public List<EmailIdentity> domains() {
            return rows.values().stream()
                    .filter(i -> i.type() == IdentityType.DOMAIN)
                    .toList();
        }
    }
}
