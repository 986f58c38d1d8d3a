package io.poolmta.suppression;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.GetSuppressedDestinationResponse;
import software.amazon.awssdk.services.sesv2.model.ListSuppressedDestinationsResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SuppressedDestinationSummary;
import software.amazon.awssdk.services.sesv2.model.SuppressionListReason;

/**
 * The suppression-list operations through the AWS SDK: put, get, list (reason and date filters,
 * paging), delete, the account's suppressed reasons in GetAccount, SES's errors, and accounts that
 * never see each other's list.
 */
class SuppressionListApiTest {
    @TempDir
    Path dir;

    TestServer server;
    TestAccount acme;
    SesV2Client ses;
    SesV2Client other;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir, new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
        acme = server.createAccount("acme");
        ses = server.ses(acme);
        other = server.ses(server.createAccount("other"));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void putGetAndDeleteOneAddress() {
        ses.putSuppressedDestination(r -> r.emailAddress("Jane@Example.com").reason(SuppressionListReason.BOUNCE));

        GetSuppressedDestinationResponse got = ses.getSuppressedDestination(r -> r.emailAddress("jane@example.com"));
        assertThat(got.suppressedDestination().emailAddress()).isEqualTo("jane@example.com");
        assertThat(got.suppressedDestination().reason()).isEqualTo(SuppressionListReason.BOUNCE);
        assertThat(got.suppressedDestination().lastUpdateTime()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));

        // putting it again replaces the reason and the time
        server.clock().advance(Duration.ofMinutes(5));
        ses.putSuppressedDestination(r -> r.emailAddress("jane@example.com").reason(SuppressionListReason.COMPLAINT));
        got = ses.getSuppressedDestination(r -> r.emailAddress("JANE@example.com"));
        assertThat(got.suppressedDestination().reason()).isEqualTo(SuppressionListReason.COMPLAINT);
        assertThat(got.suppressedDestination().lastUpdateTime()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));

        ses.deleteSuppressedDestination(r -> r.emailAddress("jane@example.com"));
        expectError(
                () -> ses.getSuppressedDestination(r -> r.emailAddress("jane@example.com")),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.deleteSuppressedDestination(r -> r.emailAddress("jane@example.com")),
                NotFoundException.class,
                404);
    }

    @Test
    void badInputIsABadRequest() {
        expectError(
                () -> ses.putSuppressedDestination(
                        r -> r.emailAddress("not an address").reason(SuppressionListReason.BOUNCE)),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putSuppressedDestination(
                        r -> r.emailAddress("a@example.com").reason("SPAM")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putSuppressedDestination(r -> r.emailAddress("a@example.com")),
                BadRequestException.class,
                400);
        expectError(() -> ses.getSuppressedDestination(r -> r.emailAddress("nobody")), BadRequestException.class, 400);
        expectError(
                () -> ses.listSuppressedDestinations(r -> r.reasonsWithStrings("SPAM")),
                BadRequestException.class,
                400);
        expectError(() -> ses.listSuppressedDestinations(r -> r.pageSize(0)), BadRequestException.class, 400);
        expectError(() -> ses.listSuppressedDestinations(r -> r.nextToken("garbage!")), BadRequestException.class, 400);
        expectError(
                () -> ses.listSuppressedDestinations(r -> r.startDate(Instant.parse("2026-03-02T00:00:00Z"))
                        .endDate(Instant.parse("2026-03-01T00:00:00Z"))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putAccountSuppressionAttributes(r -> r.suppressedReasonsWithStrings("BOUNCE", "SPAM")),
                BadRequestException.class,
                400);
    }

    @Test
    void listingPagesAndFiltersByReasonAndDate() {
        for (int i = 0; i < 7; i++) {
            String address = "b" + i + "@example.com";
            ses.putSuppressedDestination(r -> r.emailAddress(address).reason(SuppressionListReason.BOUNCE));
            server.clock().advance(Duration.ofHours(1));
        }
        Instant afterBounces = server.clock().instant();
        for (int i = 0; i < 3; i++) {
            String address = "c" + i + "@example.com";
            ses.putSuppressedDestination(r -> r.emailAddress(address).reason(SuppressionListReason.COMPLAINT));
        }

        // paging: 10 entries, 3 a page, by address
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ListSuppressedDestinationsResponse page =
                    ses.listSuppressedDestinations(r -> r.pageSize(3).nextToken(next));
            assertThat(page.suppressedDestinationSummaries()).hasSizeLessThanOrEqualTo(3);
            page.suppressedDestinationSummaries().forEach(s -> seen.add(s.emailAddress()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(10).isSorted().doesNotHaveDuplicates();

        assertThat(addresses(ses.listSuppressedDestinations(r -> r.reasons(SuppressionListReason.COMPLAINT))))
                .containsExactly("c0@example.com", "c1@example.com", "c2@example.com");
        assertThat(addresses(ses.listSuppressedDestinations(
                        r -> r.reasons(SuppressionListReason.BOUNCE, SuppressionListReason.COMPLAINT))))
                .hasSize(10);
        // added at or after StartDate, before EndDate
        Instant start = Instant.parse("2026-03-01T12:00:00Z");
        assertThat(addresses(ses.listSuppressedDestinations(r -> r.reasons(SuppressionListReason.BOUNCE)
                        .startDate(start)
                        .endDate(start.plus(Duration.ofHours(2))))))
                .containsExactly("b2@example.com", "b3@example.com");
        assertThat(addresses(ses.listSuppressedDestinations(r -> r.startDate(afterBounces))))
                .containsExactly("c0@example.com", "c1@example.com", "c2@example.com");
        ListSuppressedDestinationsResponse one =
                ses.listSuppressedDestinations(r -> r.reasons(SuppressionListReason.COMPLAINT));
        SuppressedDestinationSummary first =
                one.suppressedDestinationSummaries().getFirst();
        assertThat(first.reason()).isEqualTo(SuppressionListReason.COMPLAINT);
        assertThat(first.lastUpdateTime()).isEqualTo(afterBounces);
    }

    @Test
    void anotherAccountNeverSeesTheList() {
        ses.putSuppressedDestination(r -> r.emailAddress("jane@example.com").reason(SuppressionListReason.BOUNCE));

        expectError(
                () -> other.getSuppressedDestination(r -> r.emailAddress("jane@example.com")),
                NotFoundException.class,
                404);
        expectError(
                () -> other.deleteSuppressedDestination(r -> r.emailAddress("jane@example.com")),
                NotFoundException.class,
                404);
        assertThat(other.listSuppressedDestinations(r -> r.pageSize(10)).suppressedDestinationSummaries())
                .isEmpty();
        other.putSuppressedDestination(r -> r.emailAddress("jane@example.com").reason(SuppressionListReason.COMPLAINT));
        assertThat(ses.getSuppressedDestination(r -> r.emailAddress("jane@example.com"))
                        .suppressedDestination()
                        .reason())
                .isEqualTo(SuppressionListReason.BOUNCE);
    }

    @Test
    void accountSuppressionAttributesShowInGetAccount() {
        // SES's default for new accounts: both reasons
        assertThat(ses.getAccount(r -> {}).suppressionAttributes().suppressedReasons())
                .containsExactlyInAnyOrder(SuppressionListReason.BOUNCE, SuppressionListReason.COMPLAINT);

        ses.putAccountSuppressionAttributes(r -> r.suppressedReasons(SuppressionListReason.COMPLAINT));
        assertThat(ses.getAccount(r -> {}).suppressionAttributes().suppressedReasons())
                .containsExactly(SuppressionListReason.COMPLAINT);
        assertThat(other.getAccount(r -> {}).suppressionAttributes().suppressedReasons())
                .hasSize(2);

        ses.putAccountSuppressionAttributes(r -> r.suppressedReasons(List.of()));
        assertThat(ses.getAccount(r -> {}).suppressionAttributes().suppressedReasons())
                .isEmpty();

        ses.putSuppressedDestination(r -> r.emailAddress("jane@example.com").reason(SuppressionListReason.BOUNCE));

        // both the reasons and the list survive a restart
        server.restart();
        ses = server.ses(acme);
        assertThat(ses.getAccount(r -> {}).suppressionAttributes().suppressedReasons())
                .isEmpty();
        assertThat(ses.getSuppressedDestination(r -> r.emailAddress("jane@example.com"))
                        .suppressedDestination()
                        .reason())
                .isEqualTo(SuppressionListReason.BOUNCE);
    }

    private static List<String> addresses(ListSuppressedDestinationsResponse r) {
        return r.suppressedDestinationSummaries().stream()
                .map(SuppressedDestinationSummary::emailAddress)
                .toList();
    }
}
