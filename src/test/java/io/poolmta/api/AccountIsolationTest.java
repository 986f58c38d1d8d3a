package io.poolmta.api;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.DedicatedIp;
import software.amazon.awssdk.services.sesv2.model.GetConfigurationSetResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.ScalingMode;
import software.amazon.awssdk.services.sesv2.model.Tag;
import software.amazon.awssdk.services.sesv2.model.TlsPolicy;
import software.amazon.awssdk.services.sesv2.model.WarmupStatus;

/**
 * Two accounts on one server, both through the AWS SDK: each sees and changes only its own pools,
 * IPs, configuration sets and tags; the other account's resources answer NotFound, exactly as
 * resources that do not exist, and names are per account.
 */
class AccountIsolationTest {
    private static final String A_IP = "127.0.0.11";
    private static final String A_IP_2 = "127.0.0.12";
    private static final String B_IP = "127.0.0.21";
    private static final String DEFAULT_POOL = "ses-default-dedicated-pool";

    @TempDir
    Path dir;

    TestServer server;
    TestAccount alpha;
    TestAccount bravo;
    SesV2Client a;
    SesV2Client b;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        alpha = server.createAccount("alpha");
        bravo = server.createAccount("bravo");
        assertThat(alpha.accountId()).isNotEqualTo(bravo.accountId());
        server.leaseIps(alpha, A_IP, A_IP_2);
        server.leaseIps(bravo, B_IP);
        a = server.ses(alpha);
        b = server.ses(bravo);

        a.createDedicatedIpPool(r -> r.poolName("alpha-only").tags(tag("owner", "alpha")));
        a.putDedicatedIpInPool(r -> r.ip(A_IP).destinationPoolName("alpha-only"));
        a.createConfigurationSet(r -> r.configurationSetName("alpha-set")
                .tags(tag("owner", "alpha"))
                .deliveryOptions(d -> d.sendingPoolName("alpha-only").tlsPolicy(TlsPolicy.REQUIRE)));
        b.createDedicatedIpPool(r -> r.poolName("bravo-only"));
        b.createConfigurationSet(r -> r.configurationSetName("bravo-set"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void eachAccountListsOnlyItsOwnPoolsSetsAndIps() {
        assertThat(a.listDedicatedIpPools(r -> {}).dedicatedIpPools()).containsExactly("alpha-only");
        assertThat(b.listDedicatedIpPools(r -> {}).dedicatedIpPools()).containsExactly("bravo-only");
        assertThat(a.listConfigurationSets(r -> {}).configurationSets()).containsExactly("alpha-set");
        assertThat(b.listConfigurationSets(r -> {}).configurationSets()).containsExactly("bravo-set");
        assertThat(ips(a.getDedicatedIps(r -> {}).dedicatedIps())).containsExactly(A_IP, A_IP_2);
        assertThat(ips(b.getDedicatedIps(r -> {}).dedicatedIps())).containsExactly(B_IP);
        assertThat(ips(b.getDedicatedIps(r -> r.poolName(DEFAULT_POOL)).dedicatedIps()))
                .containsExactly(B_IP);
        assertThat(ips(a.getDedicatedIps(r -> r.poolName(DEFAULT_POOL)).dedicatedIps()))
                .containsExactly(A_IP_2);
    }

    @Test
    void pagingThroughListsNeverReachesAnotherAccount() {
        for (String name : List.of("b1", "b2", "b3")) {
            b.createConfigurationSet(r -> r.configurationSetName(name));
            b.createDedicatedIpPool(r -> r.poolName(name));
        }
        List<String> sets = b.listConfigurationSetsPaginator(r -> r.pageSize(1)).stream()
                .flatMap(p -> p.configurationSets().stream())
                .toList();
        List<String> pools = b.listDedicatedIpPoolsPaginator(r -> r.pageSize(1)).stream()
                .flatMap(p -> p.dedicatedIpPools().stream())
                .toList();
        var firstPage = b.listConfigurationSets(r -> r.pageSize(2));

        assertThat(sets).containsExactlyInAnyOrder("b1", "b2", "b3", "bravo-set");
        assertThat(pools).containsExactly("b1", "b2", "b3", "bravo-only");
        assertThat(firstPage.configurationSets()).hasSize(2);
        assertThat(firstPage.nextToken()).isNotBlank();
        assertThat(a.listConfigurationSets(r -> r.pageSize(1000)).configurationSets())
                .containsExactly("alpha-set");
    }

    @Test
    void listingTheIpsOfAnotherAccountsPoolIsNotFound() {
        expectError(() -> b.getDedicatedIps(r -> r.poolName("alpha-only")), NotFoundException.class, 404);
    }

    @Test
    void anotherAccountsPoolCannotBeReadDeletedOrScaled() {
        expectError(() -> b.getDedicatedIpPool(r -> r.poolName("alpha-only")), NotFoundException.class, 404);
        expectError(() -> b.deleteDedicatedIpPool(r -> r.poolName("alpha-only")), NotFoundException.class, 404);
        expectError(
                () -> b.putDedicatedIpPoolScalingAttributes(
                        r -> r.poolName("alpha-only").scalingMode(ScalingMode.MANAGED)),
                NotFoundException.class,
                404);

        assertThat(a.getDedicatedIpPool(r -> r.poolName("alpha-only"))
                        .dedicatedIpPool()
                        .scalingMode())
                .isEqualTo(ScalingMode.STANDARD);
        assertThat(ips(a.getDedicatedIps(r -> r.poolName("alpha-only")).dedicatedIps()))
                .containsExactly(A_IP);
    }

    @Test
    void anotherAccountsIpCannotBeReadMovedOrWarmed() {
        DedicatedIp before = a.getDedicatedIp(r -> r.ip(A_IP)).dedicatedIp();

        var notFound = expectError(() -> b.getDedicatedIp(r -> r.ip(A_IP)), NotFoundException.class, 404);
        assertThat(notFound.awsErrorDetails().errorMessage())
                .doesNotContain("alpha")
                .doesNotContain(alpha.accountId());
        expectError(
                () -> b.putDedicatedIpInPool(r -> r.ip(A_IP).destinationPoolName("bravo-only")),
                NotFoundException.class,
                404);
        expectError(
                () -> b.putDedicatedIpInPool(r -> r.ip(A_IP).destinationPoolName(DEFAULT_POOL)),
                NotFoundException.class,
                404);
        expectError(
                () -> b.putDedicatedIpWarmupAttributes(r -> r.ip(A_IP).warmupPercentage(100)),
                NotFoundException.class,
                404);

        DedicatedIp after = a.getDedicatedIp(r -> r.ip(A_IP)).dedicatedIp();
        assertThat(after.equalsBySdkFields(before))
                .as("%s vs %s", after, before)
                .isTrue();
        assertThat(after.poolName()).isEqualTo("alpha-only");
        assertThat(after.warmupStatus()).isNotEqualTo(WarmupStatus.DONE);
        assertThat(ips(b.getDedicatedIps(r -> r.poolName("bravo-only")).dedicatedIps()))
                .isEmpty();
    }

    @Test
    void anAccountCannotMoveItsIpIntoAnotherAccountsPool() {
        expectError(
                () -> b.putDedicatedIpInPool(r -> r.ip(B_IP).destinationPoolName("alpha-only")),
                NotFoundException.class,
                404);

        assertThat(b.getDedicatedIp(r -> r.ip(B_IP)).dedicatedIp().poolName()).isEqualTo(DEFAULT_POOL);
        assertThat(ips(a.getDedicatedIps(r -> r.poolName("alpha-only")).dedicatedIps()))
                .containsExactly(A_IP);
    }

    @Test
    void aPoolNameBothAccountsUseMeansTheCallersOwnPool() {
        a.createDedicatedIpPool(r -> r.poolName("marketing"));
        b.createDedicatedIpPool(r -> r.poolName("marketing"));

        b.putDedicatedIpInPool(r -> r.ip(B_IP).destinationPoolName("marketing"));

        assertThat(ips(b.getDedicatedIps(r -> r.poolName("marketing")).dedicatedIps()))
                .containsExactly(B_IP);
        assertThat(ips(a.getDedicatedIps(r -> r.poolName("marketing")).dedicatedIps()))
                .isEmpty();
        expectError(() -> b.deleteDedicatedIpPool(r -> r.poolName("marketing")), BadRequestException.class, 400);
        a.deleteDedicatedIpPool(r -> r.poolName("marketing")); // alpha's is empty, bravo's IP does not hold it
        assertThat(a.listDedicatedIpPools(r -> {}).dedicatedIpPools()).containsExactly("alpha-only");
        assertThat(b.listDedicatedIpPools(r -> {}).dedicatedIpPools()).containsExactly("bravo-only", "marketing");
        assertThat(b.getDedicatedIp(r -> r.ip(B_IP)).dedicatedIp().poolName()).isEqualTo("marketing");
    }

    @Test
    void anotherAccountsConfigurationSetCannotBeReadChangedOrDeleted() {
        GetConfigurationSetResponse before = a.getConfigurationSet(r -> r.configurationSetName("alpha-set"));

        expectError(
                () -> b.getConfigurationSet(r -> r.configurationSetName("alpha-set")), NotFoundException.class, 404);
        expectError(
                () -> b.putConfigurationSetDeliveryOptions(r -> r.configurationSetName("alpha-set")
                        .tlsPolicy(TlsPolicy.OPTIONAL)
                        .sendingPoolName("bravo-only")),
                NotFoundException.class,
                404);
        expectError(
                () -> b.putConfigurationSetSendingOptions(
                        r -> r.configurationSetName("alpha-set").sendingEnabled(false)),
                NotFoundException.class,
                404);
        expectError(
                () -> b.putConfigurationSetReputationOptions(
                        r -> r.configurationSetName("alpha-set").reputationMetricsEnabled(true)),
                NotFoundException.class,
                404);
        expectError(
                () -> b.putConfigurationSetTrackingOptions(
                        r -> r.configurationSetName("alpha-set").customRedirectDomain("evil.example")),
                NotFoundException.class,
                404);
        expectError(
                () -> b.deleteConfigurationSet(r -> r.configurationSetName("alpha-set")), NotFoundException.class, 404);

        GetConfigurationSetResponse after = a.getConfigurationSet(r -> r.configurationSetName("alpha-set"));
        assertThat(after.equalsBySdkFields(before))
                .as("%s vs %s", after, before)
                .isTrue();
        assertThat(after.deliveryOptions().sendingPoolName()).isEqualTo("alpha-only");
        assertThat(after.deliveryOptions().tlsPolicy()).isEqualTo(TlsPolicy.REQUIRE);
        assertThat(after.sendingOptions().sendingEnabled()).isTrue();
        assertThat(after.trackingOptions()).isNull();
    }

    @Test
    void anotherAccountsArnsCannotBeTaggedUntaggedOrListed() {
        for (String arn : List.of(alpha.poolArn("alpha-only"), alpha.configurationSetArn("alpha-set"))) {
            expectError(
                    () -> b.tagResource(r -> r.resourceArn(arn).tags(tag("owner", "bravo"))),
                    NotFoundException.class,
                    404);
            expectError(() -> b.untagResource(r -> r.resourceArn(arn).tagKeys("owner")), NotFoundException.class, 404);
            expectError(() -> b.listTagsForResource(r -> r.resourceArn(arn)), NotFoundException.class, 404);

            assertThat(a.listTagsForResource(r -> r.resourceArn(arn)).tags())
                    .as(arn)
                    .containsExactly(tag("owner", "alpha"));
        }
    }

    @Test
    void anArnIsResolvedInItsOwnAccountOnly() {
        b.createDedicatedIpPool(r -> r.poolName("alpha-only")); // bravo now has a pool of the same name

        // alpha's ARN still names alpha's pool, never bravo's
        expectError(
                () -> b.tagResource(
                        r -> r.resourceArn(alpha.poolArn("alpha-only")).tags(tag("k", "v"))),
                NotFoundException.class,
                404);
        // bravo's own ARN for the same name is bravo's pool
        b.tagResource(r -> r.resourceArn(bravo.poolArn("alpha-only")).tags(tag("owner", "bravo")));

        assertThat(b.listTagsForResource(r -> r.resourceArn(bravo.poolArn("alpha-only")))
                        .tags())
                .containsExactly(tag("owner", "bravo"));
        assertThat(a.listTagsForResource(r -> r.resourceArn(alpha.poolArn("alpha-only")))
                        .tags())
                .containsExactly(tag("owner", "alpha"));
        // alpha cannot reach bravo's pool through bravo's ARN either
        expectError(
                () -> a.listTagsForResource(r -> r.resourceArn(bravo.poolArn("alpha-only"))),
                NotFoundException.class,
                404);
    }

    @Test
    void aConfigurationSetCannotNameAnotherAccountsPool() {
        expectError(
                () -> b.createConfigurationSet(
                        r -> r.configurationSetName("sneaky").deliveryOptions(d -> d.sendingPoolName("alpha-only"))),
                NotFoundException.class,
                404);
        expectError(
                () -> b.putConfigurationSetDeliveryOptions(
                        r -> r.configurationSetName("bravo-set").sendingPoolName("alpha-only")),
                NotFoundException.class,
                404);

        assertThat(b.listConfigurationSets(r -> {}).configurationSets()).containsExactly("bravo-set");
        assertThat(b.getConfigurationSet(r -> r.configurationSetName("bravo-set"))
                        .deliveryOptions()
                        .sendingPoolName())
                .isNull();
    }

    @Test
    void aConfigurationSetOfOneAccountDoesNotPinAPoolOfTheSameNameInAnother() {
        a.createDedicatedIpPool(r -> r.poolName("shared-name"));
        b.createDedicatedIpPool(r -> r.poolName("shared-name"));
        b.createConfigurationSet(
                r -> r.configurationSetName("uses-it").deliveryOptions(d -> d.sendingPoolName("shared-name")));

        expectError(() -> b.deleteDedicatedIpPool(r -> r.poolName("shared-name")), BadRequestException.class, 400);
        a.deleteDedicatedIpPool(r -> r.poolName("shared-name"));

        assertThat(b.getDedicatedIpPool(r -> r.poolName("shared-name"))
                        .dedicatedIpPool()
                        .poolName())
                .isEqualTo("shared-name");
    }

    @Test
    void bothAccountsUseTheSameNamesIndependently() {
        a.createDedicatedIpPool(r -> r.poolName("transactional"));
        b.createDedicatedIpPool(r -> r.poolName("transactional").scalingMode(ScalingMode.MANAGED));
        a.createConfigurationSet(r -> r.configurationSetName("receipts")
                .tags(tag("team", "a"))
                .deliveryOptions(d -> d.sendingPoolName("transactional").maxDeliverySeconds(600L)));
        b.createConfigurationSet(r ->
                r.configurationSetName("receipts").tags(tag("team", "b")).sendingOptions(s -> s.sendingEnabled(false)));

        assertThat(a.getDedicatedIpPool(r -> r.poolName("transactional"))
                        .dedicatedIpPool()
                        .scalingMode())
                .isEqualTo(ScalingMode.STANDARD);
        assertThat(b.getDedicatedIpPool(r -> r.poolName("transactional"))
                        .dedicatedIpPool()
                        .scalingMode())
                .isEqualTo(ScalingMode.MANAGED);
        GetConfigurationSetResponse setA = a.getConfigurationSet(r -> r.configurationSetName("receipts"));
        GetConfigurationSetResponse setB = b.getConfigurationSet(r -> r.configurationSetName("receipts"));
        assertThat(setA.deliveryOptions().sendingPoolName()).isEqualTo("transactional");
        assertThat(setA.deliveryOptions().maxDeliverySeconds()).isEqualTo(600L);
        assertThat(setA.sendingOptions().sendingEnabled()).isTrue();
        assertThat(setA.tags()).containsExactly(tag("team", "a"));
        assertThat(setB.deliveryOptions().sendingPoolName()).isNull();
        assertThat(setB.sendingOptions().sendingEnabled()).isFalse();
        assertThat(setB.tags()).containsExactly(tag("team", "b"));

        a.deleteConfigurationSet(r -> r.configurationSetName("receipts"));

        expectError(() -> a.getConfigurationSet(r -> r.configurationSetName("receipts")), NotFoundException.class, 404);
        assertThat(b.getConfigurationSet(r -> r.configurationSetName("receipts"))
                        .tags())
                .containsExactly(tag("team", "b"));
        assertThat(b.listTagsForResource(r -> r.resourceArn(bravo.configurationSetArn("receipts")))
                        .tags())
                .containsExactly(tag("team", "b"));
    }

    @Test
    void accountWarmupSettingIsPerAccount() {
        b.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));

        assertThat(b.getAccount(r -> {}).dedicatedIpAutoWarmupEnabled()).isFalse();
        assertThat(a.getAccount(r -> {}).dedicatedIpAutoWarmupEnabled()).isTrue();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static List<String> ips(List<DedicatedIp> list) {
        return list.stream().map(DedicatedIp::ip).toList();
    }
}
