package io.poolmta.ip;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.DedicatedIp;
import software.amazon.awssdk.services.sesv2.model.GetAccountResponse;
import software.amazon.awssdk.services.sesv2.model.GetDedicatedIpsResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.ScalingMode;
import software.amazon.awssdk.services.sesv2.model.WarmupStatus;

/**
 * GetDedicatedIp, GetDedicatedIps, PutDedicatedIpInPool, PutDedicatedIpWarmupAttributes,
 * PutAccountDedicatedIpWarmupAttributes and GetAccount through the AWS SDK.
 */
class DedicatedIpApiTest {
    private static final String DEFAULT_POOL = "ses-default-dedicated-pool";
    private static final String SHARED_POOL = "ses-shared-pool";

    @TempDir
    Path dir;

    TestServer server;
    TestAccount acme;
    SesV2Client ses;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        acme = server.createAccount("acme");
        ses = server.ses(acme);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DedicatedIp ip(String address) {
        return ses.getDedicatedIp(r -> r.ip(address)).dedicatedIp();
    }

    private List<String> addressesIn(String pool) {
        return ses.getDedicatedIpsPaginator(r -> r.poolName(pool)).stream()
                .flatMap(p -> p.dedicatedIps().stream())
                .map(DedicatedIp::ip)
                .toList();
    }

    private List<String> allAddresses() {
        return ses.getDedicatedIps(r -> {}).dedicatedIps().stream()
                .map(DedicatedIp::ip)
                .toList();
    }

    private static void assertWarmup(DedicatedIp ip, WarmupStatus status, int percentage) {
        assertThat(ip.warmupStatus()).as("%s status", ip.ip()).isEqualTo(status);
        assertThat(ip.warmupPercentage()).as("%s percentage", ip.ip()).isEqualTo(percentage);
    }

    // --- GetDedicatedIp ---

    @Test
    void leasedIpStartsInTheDefaultPoolWarmingFromZero() {
        server.leaseIps(acme, "127.0.0.11");

        DedicatedIp ip = ip("127.0.0.11");

        assertThat(ip.ip()).isEqualTo("127.0.0.11");
        assertThat(ip.poolName()).isEqualTo(DEFAULT_POOL);
        assertWarmup(ip, WarmupStatus.IN_PROGRESS, 0);
        assertThat(ses.getAccount(r -> {}).dedicatedIpAutoWarmupEnabled()).isTrue();
    }

    @Test
    void getOfUnknownIpIsNotFound() {
        server.leaseIps(acme, "127.0.0.11");

        var error = expectError(() -> ses.getDedicatedIp(r -> r.ip("127.0.0.12")), NotFoundException.class, 404);

        assertThat(error.awsErrorDetails().errorMessage()).contains("127.0.0.12");
    }

    @Test
    void anotherAccountsIpIsNotFoundAndNotListed() {
        TestAccount globex = server.createAccount("globex");
        server.leaseIps(globex, "127.0.0.21");
        server.leaseIps(acme, "127.0.0.11");

        expectError(() -> ses.getDedicatedIp(r -> r.ip("127.0.0.21")), NotFoundException.class, 404);
        assertThat(allAddresses()).containsExactly("127.0.0.11");
        assertThat(server.ses(globex)
                        .getDedicatedIp(r -> r.ip("127.0.0.21"))
                        .dedicatedIp()
                        .ip())
                .isEqualTo("127.0.0.21");
        expectError(() -> server.ses(globex).getDedicatedIp(r -> r.ip("127.0.0.11")), NotFoundException.class, 404);
    }

    @Test
    void sharedAndReserveIpsAreNotFoundAndNotListed() {
        server.addSharedIps("127.0.0.41");
        server.addReserveIps("127.0.0.42");
        server.leaseIps(acme, "127.0.0.11");

        expectError(() -> ses.getDedicatedIp(r -> r.ip("127.0.0.41")), NotFoundException.class, 404);
        expectError(() -> ses.getDedicatedIp(r -> r.ip("127.0.0.42")), NotFoundException.class, 404);
        assertThat(allAddresses()).containsExactly("127.0.0.11");
        assertThat(addressesIn(DEFAULT_POOL)).containsExactly("127.0.0.11");
    }

    @Test
    void nonIpv4ValuesAreBadRequests() {
        server.leaseIps(acme, "127.0.0.11");
        for (String bad : List.of("abc", "256.1.1.1", "1.2.3", "01.2.3.4", "::1", "127.0.0.011", "1.2.3.4.5")) {
            var error = expectError(() -> ses.getDedicatedIp(r -> r.ip(bad)), BadRequestException.class, 400);
            assertThat(error.awsErrorDetails().errorMessage()).as(bad).contains("IPv4");
        }
    }

    // --- GetDedicatedIps ---

    @Test
    void listShowsEveryIpInNumericOrder() {
        server.leaseIps(acme, "127.0.0.10", "127.0.0.100", "127.0.0.9", "127.0.0.2", "127.0.1.1", "127.0.0.19");

        GetDedicatedIpsResponse all = ses.getDedicatedIps(r -> {});

        assertThat(all.dedicatedIps())
                .extracting(DedicatedIp::ip)
                .containsExactly("127.0.0.2", "127.0.0.9", "127.0.0.10", "127.0.0.19", "127.0.0.100", "127.0.1.1");
        assertThat(all.nextToken()).isNull();
        assertThat(all.dedicatedIps()).allSatisfy(ip -> {
            assertThat(ip.poolName()).isEqualTo(DEFAULT_POOL);
            assertWarmup(ip, WarmupStatus.IN_PROGRESS, 0);
        });
    }

    @Test
    void listOfAnAccountWithoutIpsIsEmpty() {
        GetDedicatedIpsResponse none = ses.getDedicatedIps(r -> {});

        assertThat(none.dedicatedIps()).isEmpty();
        assertThat(none.nextToken()).isNull();
    }

    @Test
    void listFiltersByPool() {
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createDedicatedIpPool(r -> r.poolName("transactional"));
        ses.createDedicatedIpPool(r -> r.poolName("empty"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.14").destinationPoolName("marketing"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.12").destinationPoolName("marketing"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.13").destinationPoolName("transactional"));

        List<DedicatedIp> marketing =
                ses.getDedicatedIps(r -> r.poolName("marketing")).dedicatedIps();
        assertThat(marketing).extracting(DedicatedIp::ip).containsExactly("127.0.0.12", "127.0.0.14");
        assertThat(marketing).extracting(DedicatedIp::poolName).containsOnly("marketing");
        assertThat(addressesIn("transactional")).containsExactly("127.0.0.13");
        assertThat(addressesIn(DEFAULT_POOL)).containsExactly("127.0.0.11");
        assertThat(ses.getDedicatedIps(r -> r.poolName("empty")).dedicatedIps()).isEmpty();
        assertThat(allAddresses()).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14");
    }

    @Test
    void listOfUnknownPoolIsNotFound() {
        server.leaseIps(acme, "127.0.0.11");
        TestAccount globex = server.createAccount("globex");
        server.ses(globex).createDedicatedIpPool(r -> r.poolName("theirs"));

        var error = expectError(() -> ses.getDedicatedIps(r -> r.poolName("nope")), NotFoundException.class, 404);

        assertThat(error.awsErrorDetails().errorMessage()).contains("nope");
        expectError(() -> ses.getDedicatedIps(r -> r.poolName("theirs")), NotFoundException.class, 404);
    }

    @Test
    void listOfSharedPoolIsBadRequest() {
        server.addSharedIps("127.0.0.41");

        expectError(() -> ses.getDedicatedIps(r -> r.poolName(SHARED_POOL)), BadRequestException.class, 400);
    }

    @Test
    void listPagesThroughEveryIpInNumericOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 5; i < 28; i++) {
            expected.add("127.0.0." + i);
        }
        server.leaseIps(acme, expected.reversed().toArray(String[]::new));

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetDedicatedIpsResponse page =
                    ses.getDedicatedIps(r -> r.pageSize(5).nextToken(next));
            assertThat(page.dedicatedIps()).hasSize(pages < 4 ? 5 : 3);
            seen.addAll(page.dedicatedIps().stream().map(DedicatedIp::ip).toList());
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(5);
    }

    @Test
    void listOfOnePoolPagesToo() {
        server.leaseIps(acme, "127.0.0.8", "127.0.0.9", "127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.100");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        for (String ip : List.of("127.0.0.100", "127.0.0.9", "127.0.0.10", "127.0.0.12")) {
            ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName("marketing"));
        }

        GetDedicatedIpsResponse first =
                ses.getDedicatedIps(r -> r.poolName("marketing").pageSize(3));
        GetDedicatedIpsResponse second =
                ses.getDedicatedIps(r -> r.poolName("marketing").pageSize(3).nextToken(first.nextToken()));

        assertThat(first.dedicatedIps())
                .extracting(DedicatedIp::ip)
                .containsExactly("127.0.0.9", "127.0.0.10", "127.0.0.12");
        assertThat(first.nextToken()).isNotNull();
        assertThat(second.dedicatedIps()).extracting(DedicatedIp::ip).containsExactly("127.0.0.100");
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void theSdkPaginatorSeesEveryIp() {
        server.leaseIps(
                acme, "127.0.0.12", "127.0.0.8", "127.0.0.10", "127.0.0.9", "127.0.0.11", "127.0.0.100", "127.0.0.7");

        List<GetDedicatedIpsResponse> pages =
                ses.getDedicatedIpsPaginator(r -> r.pageSize(2)).stream().toList();

        assertThat(pages).hasSize(4);
        assertThat(pages.stream()
                        .flatMap(p -> p.dedicatedIps().stream())
                        .map(DedicatedIp::ip)
                        .toList())
                .containsExactly(
                        "127.0.0.7", "127.0.0.8", "127.0.0.9", "127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.100");
    }

    @Test
    void listRejectsBadPageSizesAndTokens() {
        server.leaseIps(acme, "127.0.0.11");

        expectError(() -> ses.getDedicatedIps(r -> r.pageSize(0)), BadRequestException.class, 400);
        expectError(() -> ses.getDedicatedIps(r -> r.pageSize(-5)), BadRequestException.class, 400);
        var error = expectError(() -> ses.getDedicatedIps(r -> r.pageSize(1001)), BadRequestException.class, 400);
        assertThat(error.awsErrorDetails().errorMessage()).contains("PageSize");
        error = expectError(() -> ses.getDedicatedIps(r -> r.nextToken("not-a-token")), BadRequestException.class, 400);
        assertThat(error.awsErrorDetails().errorMessage()).contains("NextToken");
        assertThat(ses.getDedicatedIps(r -> r.pageSize(1000)).dedicatedIps()).hasSize(1);
        assertThat(ses.getDedicatedIps(r -> r.pageSize(1)).dedicatedIps()).hasSize(1);
    }

    // --- PutDedicatedIpInPool ---

    @Test
    void movingAnIpPutsItInThePool() {
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));

        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));

        assertThat(ip("127.0.0.11").poolName()).isEqualTo("marketing");
        assertThat(ip("127.0.0.12").poolName()).isEqualTo(DEFAULT_POOL);
        assertThat(addressesIn("marketing")).containsExactly("127.0.0.11");
        assertThat(addressesIn(DEFAULT_POOL)).containsExactly("127.0.0.12");
    }

    @Test
    void movingAgainOverwritesSoTheIpIsInExactlyOnePool() {
        server.leaseIps(acme, "127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createDedicatedIpPool(r -> r.poolName("transactional"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));

        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("transactional"));

        assertThat(ip("127.0.0.11").poolName()).isEqualTo("transactional");
        assertThat(addressesIn("transactional")).containsExactly("127.0.0.11");
        assertThat(addressesIn("marketing")).isEmpty();
        assertThat(addressesIn(DEFAULT_POOL)).isEmpty();
        assertThat(allAddresses()).containsExactly("127.0.0.11");
        // the emptied pool can now be deleted, the one holding the IP cannot
        ses.deleteDedicatedIpPool(r -> r.poolName("marketing"));
        expectError(() -> ses.deleteDedicatedIpPool(r -> r.poolName("transactional")), BadRequestException.class, 400);
    }

    @Test
    void movingIntoTheSamePoolAgainIsHarmless() {
        server.leaseIps(acme, "127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));

        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));

        assertThat(addressesIn("marketing")).containsExactly("127.0.0.11");
    }

    @Test
    void movingToTheDefaultPoolTakesTheIpOutOfItsPool() {
        server.leaseIps(acme, "127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));

        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName(DEFAULT_POOL));

        assertThat(ip("127.0.0.11").poolName()).isEqualTo(DEFAULT_POOL);
        assertThat(addressesIn("marketing")).isEmpty();
        assertThat(addressesIn(DEFAULT_POOL)).containsExactly("127.0.0.11");
        ses.deleteDedicatedIpPool(r -> r.poolName("marketing"));
    }

    @Test
    void movingKeepsTheWarmupPosition() {
        server.leaseIps(acme, "127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(40));

        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));

        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 40);
    }

    @Test
    void movingToAnUnknownPoolIsNotFound() {
        server.leaseIps(acme, "127.0.0.11");

        var error = expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("ghost")),
                NotFoundException.class,
                404);

        assertThat(error.awsErrorDetails().errorMessage()).contains("ghost");
        assertThat(ip("127.0.0.11").poolName()).isEqualTo(DEFAULT_POOL);
    }

    @Test
    void movingToAnotherAccountsPoolIsNotFound() {
        server.leaseIps(acme, "127.0.0.11");
        server.ses(server.createAccount("globex")).createDedicatedIpPool(r -> r.poolName("theirs"));

        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("theirs")),
                NotFoundException.class,
                404);
        assertThat(ip("127.0.0.11").poolName()).isEqualTo(DEFAULT_POOL);
    }

    @Test
    void movingToTheSharedPoolIsBadRequest() {
        server.leaseIps(acme, "127.0.0.11");

        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName(SHARED_POOL)),
                BadRequestException.class,
                400);
        assertThat(ip("127.0.0.11").poolName()).isEqualTo(DEFAULT_POOL);
    }

    @Test
    void movingIntoAManagedPoolIsBadRequest() {
        server.leaseIps(acme, "127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("auto").scalingMode(ScalingMode.MANAGED));

        var error = expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("auto")),
                BadRequestException.class,
                400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("MANAGED");
        assertThat(ip("127.0.0.11").poolName()).isEqualTo(DEFAULT_POOL);
        assertThat(addressesIn("auto")).isEmpty();
    }

    @Test
    void movingAnotherAccountsIpIsNotFound() {
        TestAccount globex = server.createAccount("globex");
        server.leaseIps(globex, "127.0.0.21");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));

        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.21").destinationPoolName("marketing")),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.99").destinationPoolName("marketing")),
                NotFoundException.class,
                404);
        assertThat(addressesIn("marketing")).isEmpty();
        assertThat(server.ses(globex)
                        .getDedicatedIp(r -> r.ip("127.0.0.21"))
                        .dedicatedIp()
                        .poolName())
                .isEqualTo(DEFAULT_POOL);
    }

    @Test
    void movingWithoutADestinationIsBadRequest() {
        server.leaseIps(acme, "127.0.0.11");

        var error =
                expectError(() -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11")), BadRequestException.class, 400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("DestinationPoolName");
        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("")),
                BadRequestException.class,
                400);
    }

    @Test
    void movingANonIpv4IsBadRequest() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));

        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("01.2.3.4").destinationPoolName("marketing")),
                BadRequestException.class,
                400);
    }

    // --- managed pools ---

    @Test
    void ipsOfAPoolConvertedToManagedAreNotApplicable() {
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12", "127.0.0.13");
        ses.createDedicatedIpPool(r -> r.poolName("grow"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("grow"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.12").destinationPoolName("grow"));
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.12").warmupPercentage(100));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 0);

        ses.putDedicatedIpPoolScalingAttributes(r -> r.poolName("grow").scalingMode(ScalingMode.MANAGED));

        assertWarmup(ip("127.0.0.11"), WarmupStatus.NOT_APPLICABLE, -1);
        assertThat(ip("127.0.0.11").poolName()).isEqualTo("grow");
        List<DedicatedIp> managed = ses.getDedicatedIps(r -> r.poolName("grow")).dedicatedIps();
        assertThat(managed).extracting(DedicatedIp::ip).containsExactly("127.0.0.11", "127.0.0.12");
        assertThat(managed).allSatisfy(ip -> assertWarmup(ip, WarmupStatus.NOT_APPLICABLE, -1));
        // the IP outside the pool keeps its standard warm-up
        assertWarmup(ip("127.0.0.13"), WarmupStatus.IN_PROGRESS, 0);
        List<DedicatedIp> all = ses.getDedicatedIps(r -> {}).dedicatedIps();
        assertThat(all)
                .extracting(DedicatedIp::warmupStatus)
                .containsExactly(WarmupStatus.NOT_APPLICABLE, WarmupStatus.NOT_APPLICABLE, WarmupStatus.IN_PROGRESS);
        assertThat(all).extracting(DedicatedIp::warmupPercentage).containsExactly(-1, -1, 0);
        // time does not change that
        server.clock().advance(Duration.ofDays(50));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.NOT_APPLICABLE, -1);
        assertWarmup(ip("127.0.0.13"), WarmupStatus.DONE, 100);
    }

    @Test
    void ipsOfAManagedPoolCannotBeMovedOutOrWarmedByHand() {
        server.leaseIps(acme, "127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("grow"));
        ses.createDedicatedIpPool(r -> r.poolName("other"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("grow"));
        ses.putDedicatedIpPoolScalingAttributes(r -> r.poolName("grow").scalingMode(ScalingMode.MANAGED));

        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("other")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName(DEFAULT_POOL)),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(50)),
                BadRequestException.class,
                400);
        assertThat(ip("127.0.0.11").poolName()).isEqualTo("grow");
        assertWarmup(ip("127.0.0.11"), WarmupStatus.NOT_APPLICABLE, -1);
    }

    // --- PutDedicatedIpWarmupAttributes ---

    @Test
    void settingTheWarmupPercentage() {
        server.leaseIps(acme, "127.0.0.11");

        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(50));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 50);

        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(100));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.DONE, 100);

        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(0));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 0);

        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(99));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 99);
        assertWarmup(ses.getDedicatedIps(r -> {}).dedicatedIps().getFirst(), WarmupStatus.IN_PROGRESS, 99);
    }

    @Test
    void aSetPercentageKeepsAdvancingWithTime() {
        server.leaseIps(acme, "127.0.0.11");
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(50));

        server.clock().advance(Duration.ofDays(9));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 70);

        server.clock().advance(Duration.ofDays(14));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.DONE, 100);
    }

    @Test
    void doneStaysDoneAndResetStartsOver() {
        server.leaseIps(acme, "127.0.0.11");
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(100));
        server.clock().advance(Duration.ofDays(3));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.DONE, 100);

        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(0));
        server.clock().advance(Duration.ofDays(9));

        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 20);
    }

    @Test
    void percentagesOutsideZeroToHundredAreBadRequests() {
        server.leaseIps(acme, "127.0.0.11");
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(30));

        for (int bad : new int[] {-1, 101, -100, 1000}) {
            var error = expectError(
                    () -> ses.putDedicatedIpWarmupAttributes(
                            r -> r.ip("127.0.0.11").warmupPercentage(bad)),
                    BadRequestException.class,
                    400);
            assertThat(error.awsErrorDetails().errorMessage()).contains("WarmupPercentage");
        }
        var missing = expectError(
                () -> ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11")), BadRequestException.class, 400);
        assertThat(missing.awsErrorDetails().errorMessage()).contains("WarmupPercentage");
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 30);
    }

    @Test
    void warmupOfUnknownOrForeignIpIsNotFound() {
        TestAccount globex = server.createAccount("globex");
        server.leaseIps(globex, "127.0.0.21");
        server.addSharedIps("127.0.0.41");

        expectError(
                () -> ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.99").warmupPercentage(50)),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.21").warmupPercentage(50)),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.41").warmupPercentage(50)),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.putDedicatedIpWarmupAttributes(r -> r.ip("abc").warmupPercentage(50)),
                BadRequestException.class,
                400);
        assertWarmup(
                server.ses(globex).getDedicatedIp(r -> r.ip("127.0.0.21")).dedicatedIp(), WarmupStatus.IN_PROGRESS, 0);
    }

    // --- time ---

    @Test
    void warmupFollowsTheClockOverFortyFiveDays() {
        server.leaseIps(acme, "127.0.0.11");

        server.clock().advance(Duration.ofDays(9));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 20);

        server.leaseIps(acme, "127.0.0.12");
        assertWarmup(ip("127.0.0.12"), WarmupStatus.IN_PROGRESS, 0);

        server.clock().advance(Duration.ofDays(35));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 97);

        server.clock().advance(Duration.ofDays(1));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.DONE, 100);
        assertWarmup(ip("127.0.0.12"), WarmupStatus.IN_PROGRESS, 80);

        server.clock().advance(Duration.ofDays(9));
        List<DedicatedIp> all = ses.getDedicatedIps(r -> {}).dedicatedIps();
        assertThat(all).allSatisfy(ip -> assertWarmup(ip, WarmupStatus.DONE, 100));
    }

    // --- account warm-up setting and GetAccount ---

    @Test
    void getAccountReportsSendingStatusAndQuota() {
        GetAccountResponse account = ses.getAccount(r -> {});

        assertThat(account.sendingEnabled()).isTrue();
        assertThat(account.productionAccessEnabled()).isTrue();
        assertThat(account.dedicatedIpAutoWarmupEnabled()).isTrue();
        assertThat(account.enforcementStatus()).isEqualTo("HEALTHY");
        assertThat(account.sendQuota()).isNotNull();
        assertThat(account.sendQuota().max24HourSend()).isEqualTo(1_000_000.0);
        assertThat(account.sendQuota().maxSendRate()).isEqualTo(500.0);
        assertThat(account.sendQuota().sentLast24Hours()).isEqualTo(0.0);
    }

    @Test
    void disablingAutoWarmupAffectsOnlyIpsLeasedAfterwards() {
        server.leaseIps(acme, "127.0.0.11");
        server.clock().advance(Duration.ofDays(9));

        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));

        assertThat(ses.getAccount(r -> {}).dedicatedIpAutoWarmupEnabled()).isFalse();
        server.leaseIps(acme, "127.0.0.12", "127.0.0.13");
        assertWarmup(ip("127.0.0.12"), WarmupStatus.DONE, 100);
        assertWarmup(ip("127.0.0.13"), WarmupStatus.DONE, 100);
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 20);

        server.clock().advance(Duration.ofDays(9));
        assertWarmup(ip("127.0.0.11"), WarmupStatus.IN_PROGRESS, 40);
        assertWarmup(ip("127.0.0.12"), WarmupStatus.DONE, 100);

        // a warm IP can still be sent back to warm-up by hand
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.12").warmupPercentage(10));
        assertWarmup(ip("127.0.0.12"), WarmupStatus.IN_PROGRESS, 10);
    }

    @Test
    void reEnablingAutoWarmupWarmsNewIpsAgain() {
        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));
        server.leaseIps(acme, "127.0.0.11");

        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(true));

        assertThat(ses.getAccount(r -> {}).dedicatedIpAutoWarmupEnabled()).isTrue();
        server.leaseIps(acme, "127.0.0.12");
        assertWarmup(ip("127.0.0.12"), WarmupStatus.IN_PROGRESS, 0);
        assertWarmup(ip("127.0.0.11"), WarmupStatus.DONE, 100);
    }

    @Test
    void theAutoWarmupSettingIsPerAccount() {
        TestAccount globex = server.createAccount("globex");

        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));

        assertThat(server.ses(globex).getAccount(r -> {}).dedicatedIpAutoWarmupEnabled())
                .isTrue();
        server.leaseIps(globex, "127.0.0.21");
        assertWarmup(
                server.ses(globex).getDedicatedIp(r -> r.ip("127.0.0.21")).dedicatedIp(), WarmupStatus.IN_PROGRESS, 0);
    }
}
