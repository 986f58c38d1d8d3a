package io.poolmta.tag;

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
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.Tag;

/** TagResource, UntagResource and ListTagsForResource on pools and configuration sets through the AWS SDK. */
class TaggingApiTest {
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
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createConfigurationSet(r -> r.configurationSetName("newsletters"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void poolTagsAreListedInTheOrderTheyWereFirstSet() {
        String arn = acme.poolArn("marketing");

        ses.tagResource(r -> r.resourceArn(arn).tags(tag("team", "growth"), tag("env", "prod")));
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("cost-center", "42"), tag("note", "")));

        assertThat(tags(arn))
                .containsExactly(tag("team", "growth"), tag("env", "prod"), tag("cost-center", "42"), tag("note", ""));
    }

    @Test
    void configurationSetTagsAreListedAndShownByGetConfigurationSet() {
        String arn = acme.configurationSetArn("newsletters");

        ses.tagResource(r -> r.resourceArn(arn).tags(tag("team", "growth"), tag("env", "prod")));

        assertThat(tags(arn)).containsExactly(tag("team", "growth"), tag("env", "prod"));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("newsletters"))
                        .tags())
                .containsExactly(tag("team", "growth"), tag("env", "prod"));
    }

    @Test
    void taggingAnExistingKeyOverwritesItsValueInPlace() {
        String arn = acme.poolArn("marketing");
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("a", "1"), tag("b", "2"), tag("c", "3")));

        ses.tagResource(r -> r.resourceArn(arn).tags(tag("b", "two"), tag("d", "4")));

        assertThat(tags(arn)).containsExactly(tag("a", "1"), tag("b", "two"), tag("c", "3"), tag("d", "4"));
    }

    @Test
    void poolsAndSetsWithTheSameNameKeepTheirOwnTags() {
        ses.createDedicatedIpPool(r -> r.poolName("same"));
        ses.createConfigurationSet(r -> r.configurationSetName("same"));

        ses.tagResource(r -> r.resourceArn(acme.poolArn("same")).tags(tag("kind", "pool")));
        ses.tagResource(r -> r.resourceArn(acme.configurationSetArn("same")).tags(tag("kind", "set")));

        assertThat(tags(acme.poolArn("same"))).containsExactly(tag("kind", "pool"));
        assertThat(tags(acme.configurationSetArn("same"))).containsExactly(tag("kind", "set"));
    }

    @Test
    void untagRemovesSeveralKeysAndIgnoresAbsentOnes() {
        String arn = acme.configurationSetArn("newsletters");
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("a", "1"), tag("b", "2"), tag("c", "3"), tag("d", "4")));

        ses.untagResource(r -> r.resourceArn(arn).tagKeys("b", "d", "not-there"));

        assertThat(tags(arn)).containsExactly(tag("a", "1"), tag("c", "3"));

        ses.tagResource(r -> r.resourceArn(arn).tags(tag("b", "again")));
        assertThat(tags(arn)).containsExactly(tag("a", "1"), tag("c", "3"), tag("b", "again"));
    }

    @Test
    void untagHandlesKeysThatNeedEncoding() {
        String arn = acme.poolArn("marketing");
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("a b&c=d", "x"), tag("ünï/code+", "y"), tag("keep", "z")));

        ses.untagResource(r -> r.resourceArn(arn).tagKeys("a b&c=d", "ünï/code+"));

        assertThat(tags(arn)).containsExactly(tag("keep", "z"));
    }

    @Test
    void untagWithoutKeysIsABadRequest() {
        String arn = acme.poolArn("marketing");
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("a", "1")));

        expectError(
                () -> ses.untagResource(r -> r.resourceArn(arn).tagKeys(List.of())), BadRequestException.class, 400);

        assertThat(tags(arn)).containsExactly(tag("a", "1"));
    }

    @Test
    void tagWithoutTagsIsABadRequest() {
        expectError(
                () -> ses.tagResource(
                        r -> r.resourceArn(acme.poolArn("marketing")).tags(List.of())),
                BadRequestException.class,
                400);
    }

    @Test
    void fiftyTagsAreAllowedButNotFiftyOne() {
        String arn = acme.poolArn("marketing");
        List<Tag> fifty = numbered(0, 50);
        ses.tagResource(r -> r.resourceArn(arn).tags(fifty));
        assertThat(tags(arn)).containsExactlyElementsOf(fifty);

        var error = expectError(
                () -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("one-more", "x"))),
                BadRequestException.class,
                400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("50");
        assertThat(tags(arn)).containsExactlyElementsOf(fifty);
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("k0", "overwritten")));
        assertThat(tags(arn)).hasSize(50).startsWith(tag("k0", "overwritten"));
    }

    @Test
    void moreThanFiftyTagsAddedTogetherChangeNothing() {
        String arn = acme.configurationSetArn("newsletters");
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("k0", "original"), tag("existing", "1")));

        expectError(
                () -> ses.tagResource(r -> r.resourceArn(arn).tags(numbered(0, 50))), BadRequestException.class, 400);
        expectError(
                () -> ses.tagResource(r -> r.resourceArn(arn).tags(numbered(0, 51))), BadRequestException.class, 400);

        assertThat(tags(arn)).containsExactly(tag("k0", "original"), tag("existing", "1"));
    }

    @Test
    void moreThanFiftyTagsAtCreateAreABadRequest() {
        expectError(
                () -> ses.createDedicatedIpPool(r -> r.poolName("crowded").tags(numbered(0, 51))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.createConfigurationSet(
                        r -> r.configurationSetName("crowded").tags(numbered(0, 51))),
                BadRequestException.class,
                400);

        expectError(() -> ses.getDedicatedIpPool(r -> r.poolName("crowded")), NotFoundException.class, 404);
        expectError(
                () -> ses.getConfigurationSet(r -> r.configurationSetName("crowded")), NotFoundException.class, 404);
    }

    @Test
    void keysAndValuesHaveLengthLimits() {
        String arn = acme.poolArn("marketing");
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("k".repeat(128), "v".repeat(256))));
        assertThat(tags(arn)).containsExactly(tag("k".repeat(128), "v".repeat(256)));

        expectError(
                () -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("k".repeat(129), "v"))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("ok", "v".repeat(257)))),
                BadRequestException.class,
                400);
        expectError(() -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("", "v"))), BadRequestException.class, 400);
        expectError(
                () -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("fine", "1"), tag("k".repeat(129), "v"))),
                BadRequestException.class,
                400);

        assertThat(tags(arn)).containsExactly(tag("k".repeat(128), "v".repeat(256)));
    }

    @Test
    void sameKeyTwiceInOneRequestIsABadRequest() {
        String arn = acme.poolArn("marketing");

        expectError(
                () -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("dup", "1"), tag("dup", "2"))),
                BadRequestException.class,
                400);

        assertThat(tags(arn)).isEmpty();
    }

    @Test
    void malformedArnsAreBadRequests() {
        List<String> bad = List.of(
                "not-an-arn",
                "arn:aws:ses:us-east-1:" + acme.accountId() + ":dedicated-ip-pool",
                "arn:aws:ses:us-east-1:123:dedicated-ip-pool/marketing",
                "arn:aws:sns:us-east-1:" + acme.accountId() + ":dedicated-ip-pool/marketing",
                "arn:aws:ses:us-east-1:" + acme.accountId() + ":contact-list/newsletter",
                "arn:aws:ses:us-east-1:" + acme.accountId() + ":identity/has space.example.com",
                "arn:aws:ses:us-east-1:" + acme.accountId() + ":dedicated-ip-pool/has space",
                "arn:aws:ses:us-east-1:" + acme.accountId() + ":configuration-set/" + "a".repeat(65));
        for (String arn : bad) {
            var error =
                    expectError(() -> ses.listTagsForResource(r -> r.resourceArn(arn)), BadRequestException.class, 400);
            assertThat(error.awsErrorDetails().errorMessage()).as("for %s", arn).isNotBlank();
            expectError(
                    () -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("a", "1"))), BadRequestException.class, 400);
            expectError(() -> ses.untagResource(r -> r.resourceArn(arn).tagKeys("a")), BadRequestException.class, 400);
        }
    }

    @Test
    void arnOfAResourceThatDoesNotExistIsNotFound() {
        for (String arn : List.of(acme.poolArn("ghost"), acme.configurationSetArn("ghost"))) {
            var error =
                    expectError(() -> ses.listTagsForResource(r -> r.resourceArn(arn)), NotFoundException.class, 404);
            assertThat(error.awsErrorDetails().errorMessage()).contains("ghost");
            expectError(
                    () -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("a", "1"))), NotFoundException.class, 404);
            expectError(() -> ses.untagResource(r -> r.resourceArn(arn).tagKeys("a")), NotFoundException.class, 404);
        }
        ses.createDedicatedIpPool(r -> r.poolName("ghost"));
        assertThat(tags(acme.poolArn("ghost"))).isEmpty();
    }

    @Test
    void anotherAccountsResourcesAreNotFound() {
        TestAccount other = server.createAccount("other");
        SesV2Client theirs = server.ses(other);
        ses.tagResource(r -> r.resourceArn(acme.poolArn("marketing")).tags(tag("owner", "acme")));
        ses.tagResource(
                r -> r.resourceArn(acme.configurationSetArn("newsletters")).tags(tag("owner", "acme")));
        theirs.createDedicatedIpPool(r -> r.poolName("marketing"));

        for (String arn : List.of(acme.poolArn("marketing"), acme.configurationSetArn("newsletters"))) {
            expectError(() -> theirs.listTagsForResource(r -> r.resourceArn(arn)), NotFoundException.class, 404);
            expectError(
                    () -> theirs.tagResource(r -> r.resourceArn(arn).tags(tag("owner", "other"))),
                    NotFoundException.class,
                    404);
            expectError(
                    () -> theirs.untagResource(r -> r.resourceArn(arn).tagKeys("owner")), NotFoundException.class, 404);
            assertThat(tags(arn)).containsExactly(tag("owner", "acme"));
        }
        expectError(
                () -> ses.listTagsForResource(r -> r.resourceArn(other.poolArn("marketing"))),
                NotFoundException.class,
                404);
        assertThat(theirs.listTagsForResource(r -> r.resourceArn(other.poolArn("marketing")))
                        .tags())
                .isEmpty();
    }

    @Test
    void tagsGoWithTheDeletedPool() {
        ses.createDedicatedIpPool(r -> r.poolName("temp"));
        ses.tagResource(r -> r.resourceArn(acme.poolArn("temp")).tags(tag("a", "1"), tag("b", "2")));

        ses.deleteDedicatedIpPool(r -> r.poolName("temp"));

        expectError(
                () -> ses.listTagsForResource(r -> r.resourceArn(acme.poolArn("temp"))), NotFoundException.class, 404);
        ses.createDedicatedIpPool(r -> r.poolName("temp"));
        assertThat(tags(acme.poolArn("temp"))).isEmpty();
        ses.tagResource(r -> r.resourceArn(acme.poolArn("temp")).tags(tag("c", "3")));
        assertThat(tags(acme.poolArn("temp"))).containsExactly(tag("c", "3"));
    }

    @Test
    void tagsGoWithTheDeletedConfigurationSet() {
        ses.tagResource(
                r -> r.resourceArn(acme.configurationSetArn("newsletters")).tags(tag("a", "1")));

        ses.deleteConfigurationSet(r -> r.configurationSetName("newsletters"));

        expectError(
                () -> ses.listTagsForResource(r -> r.resourceArn(acme.configurationSetArn("newsletters"))),
                NotFoundException.class,
                404);
        ses.createConfigurationSet(r -> r.configurationSetName("newsletters"));
        assertThat(tags(acme.configurationSetArn("newsletters"))).isEmpty();
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("newsletters"))
                        .tags())
                .isEmpty();
    }

    @Test
    void anArnWithAnotherRegionNamesTheSameResource() {
        String east = acme.poolArn("marketing");
        String west = east.replace(":us-east-1:", ":eu-west-1:");
        String setWest = acme.configurationSetArn("newsletters").replace(":us-east-1:", ":ap-southeast-2:");

        ses.tagResource(r -> r.resourceArn(west).tags(tag("region", "any")));
        ses.tagResource(r -> r.resourceArn(setWest).tags(tag("x", "y")));

        assertThat(tags(east)).containsExactly(tag("region", "any"));
        assertThat(tags(west)).containsExactly(tag("region", "any"));
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("newsletters"))
                        .tags())
                .containsExactly(tag("x", "y"));
        ses.untagResource(r -> r.resourceArn(east).tagKeys("region"));
        assertThat(tags(west)).isEmpty();
    }

    @Test
    void tagsSurviveARestart() {
        ses.tagResource(r -> r.resourceArn(acme.poolArn("marketing")).tags(tag("b", "2"), tag("a", "1")));

        server.restart();

        assertThat(server.ses(acme)
                        .listTagsForResource(r -> r.resourceArn(acme.poolArn("marketing")))
                        .tags())
                .containsExactly(tag("b", "2"), tag("a", "1"));
    }

    private List<Tag> tags(String arn) {
        return ses.listTagsForResource(r -> r.resourceArn(arn)).tags();
    }

    private static List<Tag> numbered(int from, int count) {
        List<Tag> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(tag("k" + i, "v" + i));
        }
        return out;
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
