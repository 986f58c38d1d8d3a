package io.poolmta.configset;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.ConfigurationSetFilterKey;
import software.amazon.awssdk.services.sesv2.model.DeliveryOptions;
import software.amazon.awssdk.services.sesv2.model.FeatureStatus;
import software.amazon.awssdk.services.sesv2.model.GetConfigurationSetResponse;
import software.amazon.awssdk.services.sesv2.model.HttpsPolicy;
import software.amazon.awssdk.services.sesv2.model.ListConfigurationSetsResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SuppressionConfidenceVerdictThreshold;
import software.amazon.awssdk.services.sesv2.model.SuppressionListReason;
import software.amazon.awssdk.services.sesv2.model.SuppressionListScope;
import software.amazon.awssdk.services.sesv2.model.Tag;
import software.amazon.awssdk.services.sesv2.model.TlsPolicy;

/**
 * CreateConfigurationSet, Get, List, Delete and every PutConfigurationSet*Options through the AWS
 * SDK: each option group is read back as it was written, and pools a set names must exist.
 */
class ConfigurationSetApiTest {
    private static final String ARCHIVE_ARN = "arn:aws:ses:us-east-1:123456789012:mailmanager-archive/a-1234";

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
    void everyOptionGivenAtCreateIsReadBack() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        Instant freshStart = Instant.ofEpochSecond(1_700_000_000L);

        ses.createConfigurationSet(r -> r.configurationSetName("Newsletters_2025-a")
                .deliveryOptions(d -> d.sendingPoolName("marketing")
                        .tlsPolicy(TlsPolicy.REQUIRE)
                        .maxDeliverySeconds(3600L))
                .sendingOptions(s -> s.sendingEnabled(false))
                .reputationOptions(o -> o.reputationMetricsEnabled(true).lastFreshStart(freshStart))
                .trackingOptions(
                        t -> t.customRedirectDomain("click.example.com").httpsPolicy(HttpsPolicy.REQUIRE_OPEN_ONLY))
                .suppressionOptions(s -> s.suppressedReasons(
                                SuppressionListReason.BOUNCE, SuppressionListReason.COMPLAINT)
                        .suppressionScope(SuppressionListScope.ACCOUNT)
                        .validationOptions(v ->
                                v.conditionThreshold(c -> c.conditionThresholdEnabled(FeatureStatus.ENABLED)
                                        .overallConfidenceThreshold(o -> o.confidenceVerdictThreshold(
                                                SuppressionConfidenceVerdictThreshold.HIGH)))))
                .vdmOptions(v -> v.dashboardOptions(d -> d.engagementMetrics(FeatureStatus.ENABLED))
                        .guardianOptions(g -> g.optimizedSharedDelivery(FeatureStatus.DISABLED)))
                .archivingOptions(a -> a.archiveArn(ARCHIVE_ARN))
                .tags(tag("team", "growth"), tag("cost-center", "42"), tag("empty", "")));

        GetConfigurationSetResponse set = ses.getConfigurationSet(r -> r.configurationSetName("Newsletters_2025-a"));

        assertThat(set.configurationSetName()).isEqualTo("Newsletters_2025-a");
        assertThat(set.deliveryOptions().sendingPoolName()).isEqualTo("marketing");
        assertThat(set.deliveryOptions().tlsPolicy()).isEqualTo(TlsPolicy.REQUIRE);
        assertThat(set.deliveryOptions().maxDeliverySeconds()).isEqualTo(3600L);
        assertThat(set.sendingOptions().sendingEnabled()).isFalse();
        assertThat(set.reputationOptions().reputationMetricsEnabled()).isTrue();
        assertThat(set.reputationOptions().lastFreshStart()).isEqualTo(freshStart);
        assertThat(set.trackingOptions().customRedirectDomain()).isEqualTo("click.example.com");
        assertThat(set.trackingOptions().httpsPolicy()).isEqualTo(HttpsPolicy.REQUIRE_OPEN_ONLY);
        assertThat(set.suppressionOptions().suppressedReasons())
                .containsExactly(SuppressionListReason.BOUNCE, SuppressionListReason.COMPLAINT);
        assertThat(set.suppressionOptions().suppressionScope()).isEqualTo(SuppressionListScope.ACCOUNT);
        assertThat(set.suppressionOptions()
                        .validationOptions()
                        .conditionThreshold()
                        .conditionThresholdEnabled())
                .isEqualTo(FeatureStatus.ENABLED);
        assertThat(set.suppressionOptions()
                        .validationOptions()
                        .conditionThreshold()
                        .overallConfidenceThreshold()
                        .confidenceVerdictThreshold())
                .isEqualTo(SuppressionConfidenceVerdictThreshold.HIGH);
        assertThat(set.vdmOptions().dashboardOptions().engagementMetrics()).isEqualTo(FeatureStatus.ENABLED);
        assertThat(set.vdmOptions().guardianOptions().optimizedSharedDelivery()).isEqualTo(FeatureStatus.DISABLED);
        assertThat(set.archivingOptions().archiveArn()).isEqualTo(ARCHIVE_ARN);
        assertThat(set.tags()).containsExactly(tag("team", "growth"), tag("cost-center", "42"), tag("empty", ""));
    }

    @Test
    void bareSetHasTheDefaults() {
        ses.createConfigurationSet(r -> r.configurationSetName("plain"));

        GetConfigurationSetResponse set = ses.getConfigurationSet(r -> r.configurationSetName("plain"));

        assertThat(set.configurationSetName()).isEqualTo("plain");
        assertThat(set.deliveryOptions().tlsPolicy()).isEqualTo(TlsPolicy.OPTIONAL);
        assertThat(set.deliveryOptions().sendingPoolName()).isNull();
        assertThat(set.deliveryOptions().maxDeliverySeconds()).isNull();
        assertThat(set.sendingOptions().sendingEnabled()).isTrue();
        assertThat(set.reputationOptions().reputationMetricsEnabled()).isFalse();
        assertThat(set.reputationOptions().lastFreshStart()).isNull();
        assertThat(set.trackingOptions()).isNull();
        assertThat(set.suppressionOptions()).isNull();
        assertThat(set.vdmOptions()).isNull();
        assertThat(set.archivingOptions()).isNull();
        assertThat(set.tags()).isEmpty();
    }

    @Test
    void setMayNameTheDefaultOrTheSharedPool() {
        ses.createConfigurationSet(r -> r.configurationSetName("default-ips")
                .deliveryOptions(d -> d.sendingPoolName("ses-default-dedicated-pool")));
        ses.createConfigurationSet(
                r -> r.configurationSetName("shared-ips").deliveryOptions(d -> d.sendingPoolName("ses-shared-pool")));

        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("default-ips"))
                        .deliveryOptions()
                        .sendingPoolName())
                .isEqualTo("ses-default-dedicated-pool");
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("shared-ips"))
                        .deliveryOptions()
                        .sendingPoolName())
                .isEqualTo("ses-shared-pool");
    }

    @Test
    void setNamingAPoolThatDoesNotExistIsNotFound() {
        var error = expectError(
                () -> ses.createConfigurationSet(
                        r -> r.configurationSetName("orphan").deliveryOptions(d -> d.sendingPoolName("ghost"))),
                NotFoundException.class,
                404);

        assertThat(error.awsErrorDetails().errorMessage()).contains("ghost");
        expectError(() -> ses.getConfigurationSet(r -> r.configurationSetName("orphan")), NotFoundException.class, 404);
    }

    @Test
    void setCannotNameAnotherAccountsPool() {
        TestAccount other = server.createAccount("other");
        server.ses(other).createDedicatedIpPool(r -> r.poolName("theirs"));

        expectError(
                () -> ses.createConfigurationSet(
                        r -> r.configurationSetName("borrow").deliveryOptions(d -> d.sendingPoolName("theirs"))),
                NotFoundException.class,
                404);
    }

    @Test
    void creatingAnExistingSetFailsWithAlreadyExists() {
        ses.createConfigurationSet(
                r -> r.configurationSetName("transactional").sendingOptions(s -> s.sendingEnabled(false)));

        var error = expectError(
                () -> ses.createConfigurationSet(r -> r.configurationSetName("transactional")),
                AlreadyExistsException.class,
                400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("transactional");
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("transactional"))
                        .sendingOptions()
                        .sendingEnabled())
                .isFalse();
    }

    @Test
    void sameNameInAnotherAccountIsAnotherSet() {
        TestAccount other = server.createAccount("other");
        ses.createConfigurationSet(r -> r.configurationSetName("shared-name"));
        ses.createConfigurationSet(r -> r.configurationSetName("only-mine"));

        server.ses(other)
                .createConfigurationSet(
                        r -> r.configurationSetName("shared-name").sendingOptions(s -> s.sendingEnabled(false)));

        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("shared-name"))
                        .sendingOptions()
                        .sendingEnabled())
                .isTrue();
        expectError(
                () -> server.ses(other).getConfigurationSet(r -> r.configurationSetName("only-mine")),
                NotFoundException.class,
                404);
        assertThat(server.ses(other).listConfigurationSets(r -> {}).configurationSets())
                .containsExactly("shared-name");
    }

    @Test
    void invalidNamesAreBadRequests() {
        String longest = "a".repeat(64);
        ses.createConfigurationSet(r -> r.configurationSetName(longest));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName(longest)).configurationSetName())
                .isEqualTo(longest);

        for (String bad : List.of("a".repeat(65), "has space", "has.dot", "", "ünïcode", "slash/name")) {
            var error = expectError(
                    () -> ses.createConfigurationSet(r -> r.configurationSetName(bad)), BadRequestException.class, 400);
            assertThat(error.awsErrorDetails().errorMessage()).as("for %s", bad).contains("ConfigurationSetName");
        }
        assertThat(ses.listConfigurationSets(r -> {}).configurationSets()).containsExactly(longest);
    }

    @Test
    void tagsWithTheSameKeyTwiceAreABadRequest() {
        expectError(
                () -> ses.createConfigurationSet(
                        r -> r.configurationSetName("twice").tags(tag("k", "1"), tag("k", "2"))),
                BadRequestException.class,
                400);

        expectError(() -> ses.getConfigurationSet(r -> r.configurationSetName("twice")), NotFoundException.class, 404);
    }

    @Test
    void outOfRangeMaxDeliverySecondsAtCreateIsABadRequest() {
        expectError(
                () -> ses.createConfigurationSet(
                        r -> r.configurationSetName("fast").deliveryOptions(d -> d.maxDeliverySeconds(299L))),
                BadRequestException.class,
                400);

        expectError(() -> ses.getConfigurationSet(r -> r.configurationSetName("fast")), NotFoundException.class, 404);
    }

    @Test
    void listPagesThroughAllSetsInNameOrder() {
        List<String> names = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6");
        for (String name : names.reversed()) {
            ses.createConfigurationSet(r -> r.configurationSetName(name));
        }

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListConfigurationSetsResponse page =
                    ses.listConfigurationSets(r -> r.pageSize(3).nextToken(current));
            assertThat(page.configurationSets()).hasSizeLessThanOrEqualTo(3);
            seen.addAll(page.configurationSets());
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(names);
        assertThat(ses.listConfigurationSets(r -> {}).configurationSets()).containsExactlyElementsOf(names);
        assertThat(ses.listConfigurationSets(r -> {}).nextToken()).isNull();
        assertThat(ses.listConfigurationSets(r -> r.pageSize(7)).nextToken()).isNull();
    }

    @Test
    void sdkPaginatorWalksEveryPage() {
        for (int i = 0; i < 5; i++) {
            String name = "set-" + i;
            ses.createConfigurationSet(r -> r.configurationSetName(name));
        }

        var pages =
                ses.listConfigurationSetsPaginator(r -> r.pageSize(2)).stream().toList();

        assertThat(pages).hasSize(3);
        assertThat(pages.stream().flatMap(p -> p.configurationSets().stream()).toList())
                .containsExactly("set-0", "set-1", "set-2", "set-3", "set-4");
    }

    @Test
    void listRejectsBadPageSizesAndTokens() {
        expectError(() -> ses.listConfigurationSets(r -> r.pageSize(0)), BadRequestException.class, 400);
        expectError(() -> ses.listConfigurationSets(r -> r.pageSize(-1)), BadRequestException.class, 400);
        expectError(() -> ses.listConfigurationSets(r -> r.pageSize(1001)), BadRequestException.class, 400);
        var error = expectError(
                () -> ses.listConfigurationSets(r -> r.nextToken("not-a-token")), BadRequestException.class, 400);
        assertThat(error.awsErrorDetails().errorMessage()).contains("NextToken");
    }

    @Test
    void listFiltersByAPartOfTheName() {
        for (String name : List.of("marketing-us", "receipts", "eu-receipts", "marketing-eu")) {
            ses.createConfigurationSet(r -> r.configurationSetName(name));
        }

        assertThat(ses.listConfigurationSets(
                                r -> r.filter(Map.of(ConfigurationSetFilterKey.CONFIGURATION_SET_NAME_CONTAINS, "eu")))
                        .configurationSets())
                .containsExactly("eu-receipts", "marketing-eu");
        assertThat(ses
                        .listConfigurationSetsPaginator(r -> r.pageSize(1)
                                .filter(Map.of(ConfigurationSetFilterKey.CONFIGURATION_SET_NAME_CONTAINS, "marketing")))
                        .stream()
                        .flatMap(p -> p.configurationSets().stream())
                        .toList())
                .containsExactly("marketing-eu", "marketing-us");
        assertThat(ses.listConfigurationSets(
                                r -> r.filter(Map.of(ConfigurationSetFilterKey.CONFIGURATION_SET_NAME_CONTAINS, "zzz")))
                        .configurationSets())
                .isEmpty();
        expectError(
                () -> ses.listConfigurationSets(r -> r.filterWithStrings(Map.of("COLOR", "blue"))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.listConfigurationSets(
                        r -> r.filter(Map.of(ConfigurationSetFilterKey.CONFIGURATION_SET_NAME_CONTAINS, ""))),
                BadRequestException.class,
                400);
    }

    @Test
    void listOfAnAccountWithNoSetsIsEmpty() {
        server.ses(server.createAccount("other")).createConfigurationSet(r -> r.configurationSetName("not-yours"));

        ListConfigurationSetsResponse page = ses.listConfigurationSets(r -> {});

        assertThat(page.configurationSets()).isEmpty();
        assertThat(page.nextToken()).isNull();
    }

    @Test
    void deleteRemovesTheSet() {
        ses.createConfigurationSet(r -> r.configurationSetName("old"));
        ses.createConfigurationSet(r -> r.configurationSetName("keep"));

        ses.deleteConfigurationSet(r -> r.configurationSetName("old"));

        expectError(() -> ses.getConfigurationSet(r -> r.configurationSetName("old")), NotFoundException.class, 404);
        assertThat(ses.listConfigurationSets(r -> {}).configurationSets()).containsExactly("keep");
        expectError(() -> ses.deleteConfigurationSet(r -> r.configurationSetName("old")), NotFoundException.class, 404);
    }

    @Test
    void deleteOfUnknownSetIsNotFound() {
        var error = expectError(
                () -> ses.deleteConfigurationSet(r -> r.configurationSetName("ghost")), NotFoundException.class, 404);

        assertThat(error.awsErrorDetails().errorMessage()).contains("ghost");
    }

    @Test
    void deletedSetCanBeCreatedAgainFresh() {
        ses.createConfigurationSet(r -> r.configurationSetName("again")
                .sendingOptions(s -> s.sendingEnabled(false))
                .deliveryOptions(d -> d.tlsPolicy(TlsPolicy.REQUIRE)));
        ses.deleteConfigurationSet(r -> r.configurationSetName("again"));

        ses.createConfigurationSet(r -> r.configurationSetName("again"));

        GetConfigurationSetResponse set = ses.getConfigurationSet(r -> r.configurationSetName("again"));
        assertThat(set.sendingOptions().sendingEnabled()).isTrue();
        assertThat(set.deliveryOptions().tlsPolicy()).isEqualTo(TlsPolicy.OPTIONAL);
    }

    @Test
    void putDeliveryOptionsReplacesTheWholeGroup() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createDedicatedIpPool(r -> r.poolName("transactional"));
        ses.createConfigurationSet(r -> r.configurationSetName("mail")
                .deliveryOptions(d -> d.sendingPoolName("marketing")
                        .tlsPolicy(TlsPolicy.REQUIRE)
                        .maxDeliverySeconds(600L)));

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").sendingPoolName("transactional"));

        DeliveryOptions delivery =
                ses.getConfigurationSet(r -> r.configurationSetName("mail")).deliveryOptions();
        assertThat(delivery.sendingPoolName()).isEqualTo("transactional");
        assertThat(delivery.tlsPolicy()).isEqualTo(TlsPolicy.OPTIONAL);
        assertThat(delivery.maxDeliverySeconds()).isNull();

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").tlsPolicy(TlsPolicy.REQUIRE).maxDeliverySeconds(7200L));

        delivery = ses.getConfigurationSet(r -> r.configurationSetName("mail")).deliveryOptions();
        assertThat(delivery.sendingPoolName()).isNull();
        assertThat(delivery.tlsPolicy()).isEqualTo(TlsPolicy.REQUIRE);
        assertThat(delivery.maxDeliverySeconds()).isEqualTo(7200L);

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").sendingPoolName("ses-shared-pool"));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .deliveryOptions()
                        .sendingPoolName())
                .isEqualTo("ses-shared-pool");
    }

    @Test
    void putDeliveryOptionsLeavesTheOtherGroupsAlone() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail")
                .sendingOptions(s -> s.sendingEnabled(false))
                .reputationOptions(o -> o.reputationMetricsEnabled(true))
                .trackingOptions(t -> t.customRedirectDomain("t.example.com"))
                .tags(tag("a", "b")));

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").maxDeliverySeconds(900L));

        GetConfigurationSetResponse set = ses.getConfigurationSet(r -> r.configurationSetName("mail"));
        assertThat(set.deliveryOptions().maxDeliverySeconds()).isEqualTo(900L);
        assertThat(set.sendingOptions().sendingEnabled()).isFalse();
        assertThat(set.reputationOptions().reputationMetricsEnabled()).isTrue();
        assertThat(set.trackingOptions().customRedirectDomain()).isEqualTo("t.example.com");
        assertThat(set.tags()).containsExactly(tag("a", "b"));
    }

    @Test
    void putDeliveryOptionsWithAnUnknownPoolIsNotFoundAndChangesNothing() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createConfigurationSet(
                r -> r.configurationSetName("mail").deliveryOptions(d -> d.sendingPoolName("marketing")));

        var error = expectError(
                () -> ses.putConfigurationSetDeliveryOptions(
                        r -> r.configurationSetName("mail").sendingPoolName("ghost")),
                NotFoundException.class,
                404);

        assertThat(error.awsErrorDetails().errorMessage()).contains("ghost");
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .deliveryOptions()
                        .sendingPoolName())
                .isEqualTo("marketing");
    }

    @Test
    void maxDeliverySecondsMustBeBetween300And50400() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail"));

        for (long bad : new long[] {299L, 50_401L, 0L, -1L}) {
            var error = expectError(
                    () -> ses.putConfigurationSetDeliveryOptions(
                            r -> r.configurationSetName("mail").maxDeliverySeconds(bad)),
                    BadRequestException.class,
                    400);
            assertThat(error.awsErrorDetails().errorMessage()).contains("MaxDeliverySeconds");
        }
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .deliveryOptions()
                        .maxDeliverySeconds())
                .isNull();

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").maxDeliverySeconds(300L));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .deliveryOptions()
                        .maxDeliverySeconds())
                .isEqualTo(300L);

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").maxDeliverySeconds(50_400L));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .deliveryOptions()
                        .maxDeliverySeconds())
                .isEqualTo(50_400L);

        ses.createConfigurationSet(
                r -> r.configurationSetName("edge").deliveryOptions(d -> d.maxDeliverySeconds(50_400L)));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("edge"))
                        .deliveryOptions()
                        .maxDeliverySeconds())
                .isEqualTo(50_400L);
        expectError(
                () -> ses.createConfigurationSet(
                        r -> r.configurationSetName("too-slow").deliveryOptions(d -> d.maxDeliverySeconds(50_401L))),
                BadRequestException.class,
                400);
    }

    @Test
    void putSendingOptionsTurnsSendingOffAndOn() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail"));

        ses.putConfigurationSetSendingOptions(
                r -> r.configurationSetName("mail").sendingEnabled(false));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .sendingOptions()
                        .sendingEnabled())
                .isFalse();

        ses.putConfigurationSetSendingOptions(
                r -> r.configurationSetName("mail").sendingEnabled(true));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .sendingOptions()
                        .sendingEnabled())
                .isTrue();
    }

    @Test
    void putReputationOptionsKeepsTheLastFreshStart() {
        Instant freshStart = Instant.ofEpochMilli(1_650_000_000_250L);
        ses.createConfigurationSet(r -> r.configurationSetName("mail")
                .reputationOptions(o -> o.reputationMetricsEnabled(false).lastFreshStart(freshStart)));

        ses.putConfigurationSetReputationOptions(
                r -> r.configurationSetName("mail").reputationMetricsEnabled(true));

        var reputation =
                ses.getConfigurationSet(r -> r.configurationSetName("mail")).reputationOptions();
        assertThat(reputation.reputationMetricsEnabled()).isTrue();
        assertThat(reputation.lastFreshStart()).isEqualTo(freshStart);

        ses.putConfigurationSetReputationOptions(
                r -> r.configurationSetName("mail").reputationMetricsEnabled(false));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .reputationOptions()
                        .reputationMetricsEnabled())
                .isFalse();
    }

    @Test
    void putTrackingOptionsReplacesTheGroup() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail")
                .trackingOptions(t -> t.customRedirectDomain("old.example.com").httpsPolicy(HttpsPolicy.REQUIRE)));

        ses.putConfigurationSetTrackingOptions(
                r -> r.configurationSetName("mail").customRedirectDomain("new.example.com"));

        var tracking =
                ses.getConfigurationSet(r -> r.configurationSetName("mail")).trackingOptions();
        assertThat(tracking.customRedirectDomain()).isEqualTo("new.example.com");
        assertThat(tracking.httpsPolicy()).isNull();

        ses.putConfigurationSetTrackingOptions(r -> r.configurationSetName("mail")
                .customRedirectDomain("new.example.com")
                .httpsPolicy(HttpsPolicy.OPTIONAL));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .trackingOptions()
                        .httpsPolicy())
                .isEqualTo(HttpsPolicy.OPTIONAL);
    }

    @Test
    void putTrackingOptionsWithoutADomainRemovesTheCustomDomain() {
        ses.createConfigurationSet(
                r -> r.configurationSetName("mail").trackingOptions(t -> t.customRedirectDomain("old.example.com")));

        ses.putConfigurationSetTrackingOptions(r -> r.configurationSetName("mail"));

        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail")).trackingOptions())
                .isNull();
    }

    @Test
    void putSuppressionOptionsReplacesTheGroup() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail")
                .suppressionOptions(
                        s -> s.suppressedReasons(SuppressionListReason.BOUNCE, SuppressionListReason.COMPLAINT)));

        ses.putConfigurationSetSuppressionOptions(r -> r.configurationSetName("mail")
                .suppressedReasons(SuppressionListReason.COMPLAINT)
                .suppressionScope(SuppressionListScope.TENANT));

        var suppression =
                ses.getConfigurationSet(r -> r.configurationSetName("mail")).suppressionOptions();
        assertThat(suppression.suppressedReasons()).containsExactly(SuppressionListReason.COMPLAINT);
        assertThat(suppression.suppressionScope()).isEqualTo(SuppressionListScope.TENANT);

        ses.putConfigurationSetSuppressionOptions(
                r -> r.configurationSetName("mail").suppressedReasons(List.of()));
        suppression =
                ses.getConfigurationSet(r -> r.configurationSetName("mail")).suppressionOptions();
        assertThat(suppression.suppressedReasons()).isEmpty();
        assertThat(suppression.suppressionScope()).isNull();
    }

    @Test
    void putVdmOptionsReplacesTheGroup() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail")
                .vdmOptions(v -> v.dashboardOptions(d -> d.engagementMetrics(FeatureStatus.ENABLED))));

        ses.putConfigurationSetVdmOptions(r -> r.configurationSetName("mail")
                .vdmOptions(v -> v.guardianOptions(g -> g.optimizedSharedDelivery(FeatureStatus.ENABLED))));

        var vdm = ses.getConfigurationSet(r -> r.configurationSetName("mail")).vdmOptions();
        assertThat(vdm.guardianOptions().optimizedSharedDelivery()).isEqualTo(FeatureStatus.ENABLED);
        assertThat(vdm.dashboardOptions()).isNull();

        ses.putConfigurationSetVdmOptions(r -> r.configurationSetName("mail")
                .vdmOptions(v -> v.dashboardOptions(d -> d.engagementMetrics(FeatureStatus.DISABLED))
                        .guardianOptions(g -> g.optimizedSharedDelivery(FeatureStatus.DISABLED))));
        vdm = ses.getConfigurationSet(r -> r.configurationSetName("mail")).vdmOptions();
        assertThat(vdm.dashboardOptions().engagementMetrics()).isEqualTo(FeatureStatus.DISABLED);
        assertThat(vdm.guardianOptions().optimizedSharedDelivery()).isEqualTo(FeatureStatus.DISABLED);
    }

    @Test
    void putArchivingOptionsSetsAndClearsTheArchive() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail"));

        ses.putConfigurationSetArchivingOptions(
                r -> r.configurationSetName("mail").archiveArn(ARCHIVE_ARN));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("mail"))
                        .archivingOptions()
                        .archiveArn())
                .isEqualTo(ARCHIVE_ARN);

        ses.putConfigurationSetArchivingOptions(r -> r.configurationSetName("mail"));
        var archiving =
                ses.getConfigurationSet(r -> r.configurationSetName("mail")).archivingOptions();
        assertThat(archiving == null ? null : archiving.archiveArn()).isNull();
    }

    @Test
    void invalidOptionValuesAreBadRequests() {
        ses.createConfigurationSet(r -> r.configurationSetName("mail"));

        expectError(
                () -> ses.putConfigurationSetDeliveryOptions(
                        r -> r.configurationSetName("mail").tlsPolicy("SOMETIMES")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putConfigurationSetTrackingOptions(r -> r.configurationSetName("mail")
                        .customRedirectDomain("t.example.com")
                        .httpsPolicy("NEVER")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putConfigurationSetSuppressionOptions(
                        r -> r.configurationSetName("mail").suppressedReasonsWithStrings("SPAM")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.createConfigurationSet(r -> r.configurationSetName("bad-vdm")
                        .vdmOptions(v -> v.dashboardOptions(d -> d.engagementMetrics("MAYBE")))),
                BadRequestException.class,
                400);

        GetConfigurationSetResponse set = ses.getConfigurationSet(r -> r.configurationSetName("mail"));
        assertThat(set.deliveryOptions().tlsPolicy()).isEqualTo(TlsPolicy.OPTIONAL);
        assertThat(set.trackingOptions()).isNull();
        assertThat(set.suppressionOptions()).isNull();
        expectError(
                () -> ses.getConfigurationSet(r -> r.configurationSetName("bad-vdm")), NotFoundException.class, 404);
    }

    @Test
    void everyPutOnAnUnknownSetIsNotFound() {
        String ghost = "ghost";
        List<Runnable> puts = List.of(
                () -> ses.putConfigurationSetDeliveryOptions(
                        r -> r.configurationSetName(ghost).tlsPolicy(TlsPolicy.REQUIRE)),
                () -> ses.putConfigurationSetSendingOptions(
                        r -> r.configurationSetName(ghost).sendingEnabled(true)),
                () -> ses.putConfigurationSetReputationOptions(
                        r -> r.configurationSetName(ghost).reputationMetricsEnabled(true)),
                () -> ses.putConfigurationSetTrackingOptions(
                        r -> r.configurationSetName(ghost).customRedirectDomain("t.example.com")),
                () -> ses.putConfigurationSetSuppressionOptions(
                        r -> r.configurationSetName(ghost).suppressedReasons(SuppressionListReason.BOUNCE)),
                () -> ses.putConfigurationSetVdmOptions(r -> r.configurationSetName(ghost)
                        .vdmOptions(v -> v.dashboardOptions(d -> d.engagementMetrics(FeatureStatus.ENABLED)))),
                () -> ses.putConfigurationSetArchivingOptions(
                        r -> r.configurationSetName(ghost).archiveArn(ARCHIVE_ARN)),
                () -> ses.getConfigurationSet(r -> r.configurationSetName(ghost)));

        for (Runnable put : puts) {
            var error = expectError(put::run, NotFoundException.class, 404);
            assertThat(error.awsErrorDetails().errorMessage()).contains(ghost);
        }
        assertThat(ses.listConfigurationSets(r -> {}).configurationSets()).isEmpty();
    }

    @Test
    void poolNamedByASetCannotBeDeletedUntilTheSetIsRepointed() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createDedicatedIpPool(r -> r.poolName("bulk"));
        ses.createConfigurationSet(
                r -> r.configurationSetName("newsletters").deliveryOptions(d -> d.sendingPoolName("marketing")));
        ses.createConfigurationSet(
                r -> r.configurationSetName("promos").deliveryOptions(d -> d.sendingPoolName("marketing")));

        var error = expectError(
                () -> ses.deleteDedicatedIpPool(r -> r.poolName("marketing")), BadRequestException.class, 400);
        assertThat(error.awsErrorDetails().errorMessage())
                .contains("newsletters")
                .contains("promos");

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("newsletters").sendingPoolName("bulk"));
        error = expectError(
                () -> ses.deleteDedicatedIpPool(r -> r.poolName("marketing")), BadRequestException.class, 400);
        assertThat(error.awsErrorDetails().errorMessage()).contains("promos").doesNotContain("newsletters");

        ses.deleteConfigurationSet(r -> r.configurationSetName("promos"));
        ses.deleteDedicatedIpPool(r -> r.poolName("marketing"));

        expectError(() -> ses.getDedicatedIpPool(r -> r.poolName("marketing")), NotFoundException.class, 404);
        expectError(() -> ses.deleteDedicatedIpPool(r -> r.poolName("bulk")), BadRequestException.class, 400);
    }

    @Test
    void setRepointedToTheDefaultPoolReleasesItsPool() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createConfigurationSet(
                r -> r.configurationSetName("newsletters").deliveryOptions(d -> d.sendingPoolName("marketing")));
        expectError(() -> ses.deleteDedicatedIpPool(r -> r.poolName("marketing")), BadRequestException.class, 400);

        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("newsletters").sendingPoolName("ses-default-dedicated-pool"));

        ses.deleteDedicatedIpPool(r -> r.poolName("marketing"));
        assertThat(ses.listDedicatedIpPools(r -> {}).dedicatedIpPools()).isEmpty();
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("newsletters"))
                        .deliveryOptions()
                        .sendingPoolName())
                .isEqualTo("ses-default-dedicated-pool");
    }

    @Test
    void setsSurviveARestart() {
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createConfigurationSet(r -> r.configurationSetName("durable")
                .deliveryOptions(d -> d.sendingPoolName("marketing")
                        .tlsPolicy(TlsPolicy.REQUIRE)
                        .maxDeliverySeconds(1200L))
                .trackingOptions(t -> t.customRedirectDomain("t.example.com"))
                .tags(tag("k", "v")));

        server.restart();
        SesV2Client again = server.ses(acme);

        GetConfigurationSetResponse set = again.getConfigurationSet(r -> r.configurationSetName("durable"));
        assertThat(set.deliveryOptions().sendingPoolName()).isEqualTo("marketing");
        assertThat(set.deliveryOptions().tlsPolicy()).isEqualTo(TlsPolicy.REQUIRE);
        assertThat(set.deliveryOptions().maxDeliverySeconds()).isEqualTo(1200L);
        assertThat(set.trackingOptions().customRedirectDomain()).isEqualTo("t.example.com");
        assertThat(set.tags()).containsExactly(tag("k", "v"));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
