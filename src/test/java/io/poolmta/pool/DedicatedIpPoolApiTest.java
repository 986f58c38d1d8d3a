package io.poolmta.pool;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.DedicatedIpPool;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.ListDedicatedIpPoolsResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.ScalingMode;
import software.amazon.awssdk.services.sesv2.model.Tag;

/** CreateDedicatedIpPool, Get, List, Delete and PutDedicatedIpPoolScalingAttributes through the AWS SDK. */
class DedicatedIpPoolApiTest {
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

    @Test
    void createdPoolIsStandardByDefaultAndCanBeFetched() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));

        DedicatedIpPool pool =
                ses.getDedicatedIpPool(r -> r.poolName("marketing")).dedicatedIpPool();

        assertThat(pool.poolName()).isEqualTo("marketing");
        assertThat(pool.scalingMode()).isEqualTo(ScalingMode.STANDARD);
    }

    @Test
    void managedPoolIsReportedAsManaged() {
        ses.createDedicatedIpPool(r -> r.poolName("auto").scalingMode(ScalingMode.MANAGED));

        assertThat(ses.getDedicatedIpPool(r -> r.poolName("auto"))
                        .dedicatedIpPool()
                        .scalingMode())
                .isEqualTo(ScalingMode.MANAGED);
    }

    @Test
    void createWithTagsStoresTheTags() {
        ses.createDedicatedIpPool(r -> r.poolName("tagged")
                .tags(Tag.builder().key("team").value("growth").build()));

        assertThat(ses.listTagsForResource(r -> r.resourceArn(acme.poolArn("tagged")))
                        .tags())
                .containsExactly(Tag.builder().key("team").value("growth").build());
    }

    @Test
    void creatingAnExistingPoolFailsWithAlreadyExists() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));

        expectError(() -> ses.createDedicatedIpPool(r -> r.poolName("marketing")), AlreadyExistsException.class, 400);
    }

    @Test
    void invalidPoolNamesAreBadRequests() {
        for (String name : List.of(
                "Upper",
                "has space",
                "x".repeat(65),
                "ses-mine",
                "ses-default-dedicated-pool",
                "ses-shared-pool",
                "dots.not.allowed")) {
            var error =
                    expectError(() -> ses.createDedicatedIpPool(r -> r.poolName(name)), BadRequestException.class, 400);
            assertThat(error.awsErrorDetails().errorMessage()).as(name).isNotBlank();
        }
        assertThat(ses.listDedicatedIpPools(r -> {}).dedicatedIpPools()).isEmpty();
    }

    @Test
    void missingPoolNameIsBadRequest() {
        var error = expectError(() -> ses.createDedicatedIpPool(r -> {}), BadRequestException.class, 400);
        assertThat(error.awsErrorDetails().errorMessage()).contains("PoolName");
    }

    @Test
    void getOfUnknownPoolIsNotFound() {
        expectError(() -> ses.getDedicatedIpPool(r -> r.poolName("nope")), NotFoundException.class, 404);
    }

    @Test
    void getOfReservedPoolNamesIsBadRequest() {
        var error = expectError(
                () -> ses.getDedicatedIpPool(r -> r.poolName("ses-default-dedicated-pool")),
                BadRequestException.class,
                400);
        assertThat(error.awsErrorDetails().errorMessage()).contains("shared or default dedicated ip pool");
        expectError(() -> ses.getDedicatedIpPool(r -> r.poolName("ses-shared-pool")), BadRequestException.class, 400);
    }

    @Test
    void listPagesThroughEveryPoolInNameOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String name = String.format("pool-%02d", i);
            expected.add(name);
            ses.createDedicatedIpPool(r -> r.poolName(name));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ListDedicatedIpPoolsResponse page =
                    ses.listDedicatedIpPools(r -> r.pageSize(5).nextToken(next));
            assertThat(page.dedicatedIpPools()).hasSizeLessThanOrEqualTo(5);
            seen.addAll(page.dedicatedIpPools());
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(5);
    }

    @Test
    void theSdkPaginatorSeesEveryPool() {
        for (int i = 0; i < 7; i++) {
            String name = "p" + i;
            ses.createDedicatedIpPool(r -> r.poolName(name));
        }
        List<String> all = ses.listDedicatedIpPoolsPaginator(r -> r.pageSize(2)).stream()
                .flatMap(p -> p.dedicatedIpPools().stream())
                .toList();
        assertThat(all).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
    }

    @Test
    void listRejectsBadPageSizesAndTokens() {
        expectError(() -> ses.listDedicatedIpPools(r -> r.pageSize(0)), BadRequestException.class, 400);
        expectError(() -> ses.listDedicatedIpPools(r -> r.pageSize(1001)), BadRequestException.class, 400);
        var error = expectError(
                () -> ses.listDedicatedIpPools(r -> r.nextToken("not-a-token")), BadRequestException.class, 400);
        assertThat(error.awsErrorDetails().errorMessage()).contains("NextToken");
    }

    @Test
    void deleteRemovesThePool() {
        ses.createDedicatedIpPool(r -> r.poolName("old"));

        ses.deleteDedicatedIpPool(r -> r.poolName("old"));

        expectError(() -> ses.getDedicatedIpPool(r -> r.poolName("old")), NotFoundException.class, 404);
        assertThat(ses.listDedicatedIpPools(r -> {}).dedicatedIpPools()).isEmpty();
    }

    @Test
    void deleteOfUnknownPoolIsNotFound() {
        expectError(() -> ses.deleteDedicatedIpPool(r -> r.poolName("ghost")), NotFoundException.class, 404);
    }

    @Test
    void deleteOfReservedPoolIsBadRequest() {
        expectError(
                () -> ses.deleteDedicatedIpPool(r -> r.poolName("ses-default-dedicated-pool")),
                BadRequestException.class,
                400);
    }

    @Test
    void standardPoolHoldingIpsCannotBeDeleted() {
        server.leaseIps(acme, "127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));

        var error = expectError(
                () -> ses.deleteDedicatedIpPool(r -> r.poolName("marketing")), BadRequestException.class, 400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("1 IP");
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("ses-default-dedicated-pool"));
        ses.deleteDedicatedIpPool(r -> r.poolName("marketing"));
    }

    @Test
    void poolNamedByAConfigurationSetCannotBeDeleted() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createConfigurationSet(
                r -> r.configurationSetName("newsletters").deliveryOptions(d -> d.sendingPoolName("marketing")));

        var error = expectError(
                () -> ses.deleteDedicatedIpPool(r -> r.poolName("marketing")), BadRequestException.class, 400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("newsletters");
    }

    @Test
    void standardPoolBecomesManagedButNeverBack() {
        ses.createDedicatedIpPool(r -> r.poolName("grow"));

        ses.putDedicatedIpPoolScalingAttributes(r -> r.poolName("grow").scalingMode(ScalingMode.MANAGED));
        assertThat(ses.getDedicatedIpPool(r -> r.poolName("grow"))
                        .dedicatedIpPool()
                        .scalingMode())
                .isEqualTo(ScalingMode.MANAGED);
        ses.putDedicatedIpPoolScalingAttributes(r -> r.poolName("grow").scalingMode(ScalingMode.MANAGED));

        expectError(
                () -> ses.putDedicatedIpPoolScalingAttributes(
                        r -> r.poolName("grow").scalingMode(ScalingMode.STANDARD)),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putDedicatedIpPoolScalingAttributes(
                        r -> r.poolName("none").scalingMode(ScalingMode.MANAGED)),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.putDedicatedIpPoolScalingAttributes(r -> r.poolName("grow")), BadRequestException.class, 400);
    }

    @Test
    void atMostFiveManagedPools() {
        for (int i = 0; i < 5; i++) {
            String name = "m" + i;
            ses.createDedicatedIpPool(r -> r.poolName(name).scalingMode(ScalingMode.MANAGED));
        }
        expectError(
                () -> ses.createDedicatedIpPool(r -> r.poolName("m5").scalingMode(ScalingMode.MANAGED)),
                LimitExceededException.class,
                400);
        ses.createDedicatedIpPool(r -> r.poolName("s"));
        expectError(
                () -> ses.putDedicatedIpPoolScalingAttributes(
                        r -> r.poolName("s").scalingMode(ScalingMode.MANAGED)),
                LimitExceededException.class,
                400);
    }

    @Test
    void deletingAManagedPoolReturnsItsIpsToTheReserve() {
        server.leaseIps(acme, "127.0.0.31");
        ses.createDedicatedIpPool(r -> r.poolName("grow"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.31").destinationPoolName("grow"));
        ses.putDedicatedIpPoolScalingAttributes(r -> r.poolName("grow").scalingMode(ScalingMode.MANAGED));
        var managed = server.admin().ok("GET", "/ips", null).get("Ips").get(0);
        assertThat(managed.get("WarmupStatus").asText()).isEqualTo("NOT_APPLICABLE");
        assertThat(managed.get("WarmupPercentage").asInt()).isEqualTo(-1);

        ses.deleteDedicatedIpPool(r -> r.poolName("grow"));

        expectError(() -> ses.getDedicatedIp(r -> r.ip("127.0.0.31")), NotFoundException.class, 404);
        var ips = server.admin().ok("GET", "/ips", null).get("Ips");
        assertThat(ips.get(0).get("Ip").asText()).isEqualTo("127.0.0.31");
        assertThat(ips.get(0).get("Role").asText()).isEqualTo("RESERVE");
    }
}
