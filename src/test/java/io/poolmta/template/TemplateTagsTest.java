package io.poolmta.template;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.Tag;

/** Tags on email templates: at CreateEmailTemplate and by ARN through Tag/Untag/ListTagsForResource. */
class TemplateTagsTest {
    @TempDir
    Path dir;

    TestServer server;
    TestAccount acme;
    TestAccount other;
    SesV2Client ses;
    SesV2Client otherSes;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        acme = server.createAccount("acme");
        other = server.createAccount("other");
        ses = server.ses(acme);
        otherSes = server.ses(other);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static String arn(TestAccount account, String name) {
        return "arn:aws:ses:us-east-1:" + account.accountId() + ":template/" + name;
    }

    private void create(SesV2Client client, String name, Tag... tags) {
        client.createEmailTemplate(r -> r.templateName(name)
                .templateContent(c -> c.subject("Hi {{name}}").text("Dear {{name}}"))
                .tags(tags));
    }

    @Test
    void tagsGivenAtCreationAreListedAndShownByGetEmailTemplate() {
        create(ses, "welcome", tag("team", "growth"), tag("env", "prod"));

        assertThat(ses.listTagsForResource(r -> r.resourceArn(arn(acme, "welcome")))
                        .tags())
                .containsExactly(tag("team", "growth"), tag("env", "prod"));
        assertThat(ses.getEmailTemplate(r -> r.templateName("welcome")).tags())
                .containsExactly(tag("team", "growth"), tag("env", "prod"));
    }

    @Test
    void aTemplateIsTaggedAndUntaggedByItsArn() {
        create(ses, "welcome");
        String arn = arn(acme, "welcome");
        assertThat(ses.listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();

        ses.tagResource(r -> r.resourceArn(arn).tags(tag("a", "1"), tag("b", "2")));
        ses.tagResource(r -> r.resourceArn(arn).tags(tag("a", "one")));
        ses.untagResource(r -> r.resourceArn(arn).tagKeys("b"));

        assertThat(ses.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsExactly(tag("a", "one"));
        assertThat(ses.getEmailTemplate(r -> r.templateName("welcome")).tags()).containsExactly(tag("a", "one"));
    }

    @Test
    void deletingATemplateDeletesItsTags() {
        create(ses, "welcome", tag("team", "growth"));
        String arn = arn(acme, "welcome");

        ses.deleteEmailTemplate(r -> r.templateName("welcome"));

        expectError(() -> ses.listTagsForResource(r -> r.resourceArn(arn)), NotFoundException.class, 404);
        create(ses, "welcome");
        assertThat(ses.listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();
    }

    @Test
    void anotherAccountsTemplateArnIsNotFound() {
        create(otherSes, "theirs", tag("secret", "x"));
        String theirs = arn(other, "theirs");

        var error =
                expectError(() -> ses.listTagsForResource(r -> r.resourceArn(theirs)), NotFoundException.class, 404);
        assertThat(error.awsErrorDetails().errorMessage()).doesNotContain("secret");
        expectError(
                () -> ses.tagResource(r -> r.resourceArn(theirs).tags(tag("mine", "1"))), NotFoundException.class, 404);
        expectError(
                () -> ses.untagResource(r -> r.resourceArn(theirs).tagKeys("secret")), NotFoundException.class, 404);

        assertThat(otherSes.listTagsForResource(r -> r.resourceArn(theirs)).tags())
                .containsExactly(tag("secret", "x"));
    }

    @Test
    void aTemplateThatDoesNotExistIsNotFound() {
        var error = expectError(
                () -> ses.listTagsForResource(r -> r.resourceArn(arn(acme, "ghost"))), NotFoundException.class, 404);
        assertThat(error.awsErrorDetails().errorMessage()).contains("ghost");
    }

    @Test
    void badTagsAtCreationCreateNothing() {
        expectError(() -> create(ses, "welcome", tag("dup", "1"), tag("dup", "2")), BadRequestException.class, 400);
        expectError(() -> create(ses, "welcome", tag("aws:reserved", "1")), BadRequestException.class, 400);
        Tag[] tooMany = new Tag[51];
        for (int i = 0; i < tooMany.length; i++) {
            tooMany[i] = tag("k" + i, "v");
        }
        expectError(() -> create(ses, "welcome", tooMany), BadRequestException.class, 400);

        expectError(() -> ses.getEmailTemplate(r -> r.templateName("welcome")), NotFoundException.class, 404);
        create(ses, "welcome", tag("ok", "1"));
        expectError(() -> create(ses, "welcome", tag("ok", "2")), AlreadyExistsException.class, 400);
        assertThat(ses.listTagsForResource(r -> r.resourceArn(arn(acme, "welcome")))
                        .tags())
                .containsExactly(tag("ok", "1"));
    }
}
