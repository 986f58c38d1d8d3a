package io.poolmta.template;

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
import software.amazon.awssdk.services.sesv2.model.EmailTemplateMetadata;
import software.amazon.awssdk.services.sesv2.model.GetEmailTemplateResponse;
import software.amazon.awssdk.services.sesv2.model.ListEmailTemplatesResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;

/** Template CRUD, paging and TestRenderEmailTemplate through the AWS SDK for Java v2. */
class EmailTemplatesTest {
    @TempDir
    Path dir;

    TestServer server;
    SesV2Client ses;
    SesV2Client other;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        TestAccount acme = server.createAccount("acme");
        ses = server.ses(acme);
        other = server.ses(server.createAccount("other"));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void create(SesV2Client client, String name, String subject, String text, String html) {
        client.createEmailTemplate(r -> r.templateName(name)
                .templateContent(c -> c.subject(subject).text(text).html(html)));
    }

    @Test
    void aTemplateIsCreatedReadUpdatedAndDeleted() {
        create(ses, "welcome", "Hi {{name}}", "Dear {{name}}", "<p>Dear {{name}}</p>");

        GetEmailTemplateResponse got = ses.getEmailTemplate(r -> r.templateName("welcome"));
        assertThat(got.templateName()).isEqualTo("welcome");
        assertThat(got.templateContent().subject()).isEqualTo("Hi {{name}}");
        assertThat(got.templateContent().text()).isEqualTo("Dear {{name}}");
        assertThat(got.templateContent().html()).isEqualTo("<p>Dear {{name}}</p>");

        ses.updateEmailTemplate(r -> r.templateName("welcome")
                .templateContent(c -> c.subject("Welcome {{name}}").text("v2")));
        GetEmailTemplateResponse updated = ses.getEmailTemplate(r -> r.templateName("welcome"));
        assertThat(updated.templateContent().subject()).isEqualTo("Welcome {{name}}");
        assertThat(updated.templateContent().html()).isNull();
        assertThat(ses.testRenderEmailTemplate(r -> r.templateName("welcome").templateData("{\"name\":\"Jo\"}"))
                        .renderedTemplate())
                .contains("Subject: Welcome Jo")
                .contains("v2");

        ses.deleteEmailTemplate(r -> r.templateName("welcome"));
        expectError(() -> ses.getEmailTemplate(r -> r.templateName("welcome")), NotFoundException.class, 404);
        expectError(() -> ses.deleteEmailTemplate(r -> r.templateName("welcome")), NotFoundException.class, 404);
        expectError(
                () -> ses.updateEmailTemplate(r -> r.templateName("welcome").templateContent(c -> c.text("x"))),
                NotFoundException.class,
                404);
    }

    @Test
    void templatesArePagedByNameWithCreationTimes() {
        for (int i = 0; i < 7; i++) {
            create(ses, "t" + i, "s", "text", null);
        }
        create(other, "foreign", "s", "text", null);

        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ListEmailTemplatesResponse page =
                    ses.listEmailTemplates(r -> r.pageSize(3).nextToken(next));
            page.templatesMetadata().stream()
                    .map(EmailTemplateMetadata::templateName)
                    .forEach(names::add);
            assertThat(page.templatesMetadata())
                    .allSatisfy(m -> assertThat(m.createdTimestamp()).isNotNull());
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(names).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
        assertThat(pages).isEqualTo(3);
        expectError(() -> ses.listEmailTemplates(r -> r.nextToken("garbage")), BadRequestException.class, 400);
    }

    @Test
    void testRenderReturnsMimeWithHtmlEscapedOnlyInTheHtmlPart() {
        create(
                ses,
                "order",
                "Order {{id}} for {{who}}",
                "{{#each items}}- {{name}} x{{qty}}\n{{/each}}",
                "<ul>{{#each items}}<li>{{name}}</li>{{/each}}</ul>");

        String mime = ses.testRenderEmailTemplate(r -> r.templateName("order")
                        .templateData("{\"id\":42,\"who\":\"Tom & Jerry\",\"items\":[{\"name\":\"<pie>\",\"qty\":2}]}"))
                .renderedTemplate();

        assertThat(mime)
                .contains("Subject: Order 42 for Tom & Jerry")
                .contains("multipart/alternative")
                .contains("- <pie> x2")
                .contains("&lt;pie&gt;");
    }

    @Test
    void testRenderReportsAMissingVariable() {
        create(ses, "greet", "Hello {{name}}", "Your colour is {{favoritecolor}}", null);

        BadRequestException e = expectError(
                () -> ses.testRenderEmailTemplate(
                        r -> r.templateName("greet").templateData("{\"name\":\"Jane\",\"favoritenumber\":\"10\"}")),
                BadRequestException.class,
                400);
        assertThat(e.awsErrorDetails().errorMessage()).contains("'favoritecolor'");
        expectError(
                () -> ses.testRenderEmailTemplate(r -> r.templateName("greet").templateData("{not json")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.testRenderEmailTemplate(r -> r.templateName("nope").templateData("{}")),
                NotFoundException.class,
                404);
    }

    @Test
    void badTemplatesAreRefusedAtCreateTime() {
        BadRequestException syntax = expectError(
                () -> create(ses, "broken", "ok", null, "<p>{{#if x}}never closed</p>"),
                BadRequestException.class,
                400);
        assertThat(syntax.awsErrorDetails().errorMessage())
                .contains("Html part")
                .contains("line 1");
        expectError(() -> create(ses, "partial", "ok", "{{> header}}", null), BadRequestException.class, 400);
        expectError(() -> create(ses, "nobody", "subject only", null, null), BadRequestException.class, 400);
        expectError(() -> create(ses, "bad name!", "s", "t", null), BadRequestException.class, 400);
        expectError(
                () -> create(ses, "huge", "s", "x".repeat(TemplateService.MAX_TEMPLATE_BYTES), null),
                BadRequestException.class,
                400);
        expectError(() -> ses.getEmailTemplate(r -> r.templateName("broken")), NotFoundException.class, 404);

        create(ses, "dup", "s", "t", null);
        expectError(() -> create(ses, "dup", "s", "t", null), AlreadyExistsException.class, 400);
        expectError(
                () -> ses.updateEmailTemplate(r -> r.templateName("dup").templateContent(c -> c.text("{{#each}}"))),
                BadRequestException.class,
                400);
    }

    @Test
    void anotherAccountsTemplateIsNotFound() {
        create(ses, "mine", "s", "t {{x}}", null);

        expectError(() -> other.getEmailTemplate(r -> r.templateName("mine")), NotFoundException.class, 404);
        expectError(() -> other.deleteEmailTemplate(r -> r.templateName("mine")), NotFoundException.class, 404);
        expectError(
                () -> other.testRenderEmailTemplate(r -> r.templateName("mine").templateData("{\"x\":1}")),
                NotFoundException.class,
                404);
        assertThat(other.listEmailTemplates(r -> {}).templatesMetadata()).isEmpty();
    }
}
