package io.poolmta.template;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Attachment;
import software.amazon.awssdk.services.sesv2.model.AttachmentContentDisposition;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntry;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntryResult;
import software.amazon.awssdk.services.sesv2.model.BulkEmailStatus;

/**
 * Attachments in Template content, as SES allows them: the template is rendered per destination and
 * the same attachments are attached to each message, as for Simple content.
 */
class TemplateAttachmentsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] PDF = "%PDF-1.4 not really\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LOGO = new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3};

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    SesV2Client ses;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.61");
        ses = server.ses(acme);
        ses.createEmailTemplate(r -> r.templateName("invoice")
                .templateContent(c -> c.subject("Invoice for {{name}}")
                        .text("Dear {{name}}, your invoice is attached.")
                        .html("<p>Dear {{name}}</p><img src=\"cid:logo\">")));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    private static Attachment pdf() {
        return Attachment.builder()
                .fileName("invoice.pdf")
                .contentType("application/pdf")
                .rawContent(SdkBytes.fromByteArray(PDF))
                .build();
    }

    private static Attachment logo() {
        return Attachment.builder()
                .fileName("logo.png")
                .contentType("image/png")
                .contentDisposition(AttachmentContentDisposition.INLINE)
                .contentId("logo")
                .rawContent(SdkBytes.fromByteArray(LOGO))
                .build();
    }

    @Test
    void sendEmailRendersTheTemplateAndAttachesTheFiles() throws Exception {
        ses.sendEmail(r -> r.fromEmailAddress("billing@acme.test")
                .destination(d -> d.toAddresses("jo@example.com"))
                .content(c -> c.template(t -> t.templateName("invoice")
                        .templateData("{\"name\":\"Jo\"}")
                        .attachments(pdf(), logo()))));

        ReceivedMessage received = sink.awaitMessages(1, WAIT).getFirst();
        MimeMessage mime = parse(received);
        assertThat(mime.getSubject()).isEqualTo("Invoice for Jo");
        assertThat(mime.getContentType()).startsWith("multipart/mixed");
        List<Part> leaves = leaves(mime);
        assertThat(text(leaves, "text/plain")).contains("Dear Jo, your invoice is attached.");
        assertThat(text(leaves, "text/html")).contains("<p>Dear Jo</p>");
        Map<String, Part> files = files(leaves);
        assertThat(files.keySet()).containsExactlyInAnyOrder("invoice.pdf", "logo.png");
        assertThat(files.get("invoice.pdf").getInputStream().readAllBytes()).isEqualTo(PDF);
        assertThat(files.get("invoice.pdf").getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(files.get("logo.png").getInputStream().readAllBytes()).isEqualTo(LOGO);
        assertThat(files.get("logo.png").getDisposition()).isEqualTo(Part.INLINE);
        assertThat(files.get("logo.png").getHeader("Content-ID")).containsExactly("<logo>");
    }

    @Test
    void sendBulkEmailAttachesTheSameFilesToEveryEntry() throws Exception {
        List<BulkEmailEntry> entries = new ArrayList<>();
        for (String name : List.of("ann", "bob")) {
            entries.add(BulkEmailEntry.builder()
                    .destination(d -> d.toAddresses(name + "@example.com"))
                    .replacementEmailContent(
                            c -> c.replacementTemplate(t -> t.replacementTemplateData("{\"name\":\"" + name + "\"}")))
                    .build());
        }

        List<BulkEmailEntryResult> results = ses.sendBulkEmail(r -> r.fromEmailAddress("billing@acme.test")
                        .defaultContent(c -> c.template(t ->
                                t.templateName("invoice").templateData("{}").attachments(pdf())))
                        .bulkEmailEntries(entries))
                .bulkEmailEntryResults();

        assertThat(results).extracting(BulkEmailEntryResult::status).containsOnly(BulkEmailStatus.SUCCESS);
        Map<String, MimeMessage> byRecipient = new HashMap<>();
        for (ReceivedMessage m : sink.awaitMessages(2, WAIT)) {
            byRecipient.put(m.recipients().getFirst(), parse(m));
        }
        for (String name : List.of("ann", "bob")) {
            MimeMessage mime = byRecipient.get(name + "@example.com");
            assertThat(mime.getSubject()).isEqualTo("Invoice for " + name);
            List<Part> leaves = leaves(mime);
            assertThat(text(leaves, "text/plain")).contains("Dear " + name + ",");
            assertThat(files(leaves).get("invoice.pdf").getInputStream().readAllBytes())
                    .isEqualTo(PDF);
        }
    }

    @Test
    void aBadAttachmentRefusesTheWholeCall() {
        Attachment nameless =
                Attachment.builder().rawContent(SdkBytes.fromByteArray(PDF)).build();

        var single = expectError(
                () -> ses.sendEmail(r -> r.fromEmailAddress("billing@acme.test")
                        .destination(d -> d.toAddresses("jo@example.com"))
                        .content(c -> c.template(t -> t.templateName("invoice")
                                .templateData("{\"name\":\"Jo\"}")
                                .attachments(nameless)))),
                BadRequestException.class,
                400);
        assertThat(single.awsErrorDetails().errorMessage()).contains("FileName");
        expectError(
                () -> ses.sendBulkEmail(r -> r.fromEmailAddress("billing@acme.test")
                        .defaultContent(c -> c.template(t ->
                                t.templateName("invoice").templateData("{}").attachments(nameless)))
                        .bulkEmailEntries(BulkEmailEntry.builder()
                                .destination(d -> d.toAddresses("ann@example.com"))
                                .build())),
                BadRequestException.class,
                400);
        assertThat(sink.messages()).isEmpty();
    }

    private static MimeMessage parse(ReceivedMessage received) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
    }

    /** The non-multipart parts of a message, depth first. */
    private static List<Part> leaves(Part part) throws Exception {
        List<Part> out = new ArrayList<>();
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                out.addAll(leaves(child));
            }
        } else {
            out.add(part);
        }
        return out;
    }

    private static String text(List<Part> leaves, String type) throws Exception {
        for (Part part : leaves) {
            if (part.isMimeType(type) && part.getFileName() == null) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static Map<String, Part> files(List<Part> leaves) throws Exception {
        Map<String, Part> out = new HashMap<>();
        for (Part part : leaves) {
            if (part.getFileName() != null) {
                out.put(part.getFileName(), part);
            }
        }
        return out;
    }
}
