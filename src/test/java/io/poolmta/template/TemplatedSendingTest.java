package io.poolmta.template;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntry;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntryResult;
import software.amazon.awssdk.services.sesv2.model.BulkEmailStatus;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendBulkEmailRequest;

/**
 * SendEmail with Template content and SendBulkEmail, end to end: rendered per destination,
 * delivered over real SMTP from the configuration set's pool to a loopback sink; a missing
 * variable gives a Rendering Failure event instead of a message.
 */
class TemplatedSendingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    TestAccount acme;
    SesV2Client ses;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.41", "127.0.0.42", "127.0.0.43");
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("news"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.41").destinationPoolName("news"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.42").destinationPoolName("news"));
        ses.createConfigurationSet(r -> r.configurationSetName("news").deliveryOptions(d -> d.sendingPoolName("news")));
        ses.createEmailTemplate(r -> r.templateName("hello")
                .templateContent(c -> c.subject("Hello {{name}}")
                        .text("Dear {{name}}, your code is {{code}}.")
                        .html("<p>Dear {{name}}</p><ul>{{#each items}}<li>{{this}}</li>{{/each}}</ul>")));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void sendEmailWithAStoredTemplateDeliversTheRenderedMessage() {
        String id = ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                        .configurationSetName("news")
                        .destination(d -> d.toAddresses("jo@example.com"))
                        .emailTags(t -> t.name("campaign").value("spring"))
                        .content(c -> c.template(t -> t.templateName("hello")
                                .templateData("{\"name\":\"Jo <3\",\"code\":\"A1\",\"items\":[\"x\",\"y\"]}")
                                .headers(h -> h.name("X-Campaign").value("spring")))))
                .messageId();

        ReceivedMessage received = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(received.text())
                .contains("Subject: Hello Jo <3")
                .contains("Dear Jo <3, your code is A1.")
                .contains("Jo &lt;3")
                .contains("<li>x</li><li>y</li>")
                .contains("X-Campaign: spring")
                .contains("Message-ID: <" + id + "@");
        assertThat(received.sourceAddress()).isIn("127.0.0.41", "127.0.0.42");
        JsonNode send = EventLog.of(server).await(id, "Send", WAIT);
        assertThat(send.at("/mail/tags/campaign/0").asText()).isEqualTo("spring");
        assertThat(send.at("/mail/tags/ses:configuration-set/0").asText()).isEqualTo("news");
    }

    @Test
    void sendEmailTakesATemplateArnOrInlineContent() {
        String arn = "arn:aws:ses:us-east-1:" + acme.accountId() + ":template/hello";
        ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                .destination(d -> d.toAddresses("arn@example.com"))
                .content(c -> c.template(t -> t.templateArn(arn).templateData("{\"name\":\"Arn\",\"code\":1}"))));
        ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                .destination(d -> d.toAddresses("inline@example.com"))
                .content(c -> c.template(
                        t -> t.templateContent(x -> x.subject("Inline {{n}}").text("n={{n}}"))
                                .templateData("{\"n\":7}"))));

        Map<String, String> byRecipient = byRecipient(sink.awaitMessages(2, WAIT));
        assertThat(byRecipient.get("arn@example.com")).contains("Subject: Hello Arn");
        assertThat(byRecipient.get("inline@example.com"))
                .contains("Subject: Inline 7")
                .contains("n=7");
    }

    @Test
    void aMissingVariablePublishesARenderingFailureInsteadOfSending() {
        String id = ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                        .configurationSetName("news")
                        .destination(d -> d.toAddresses("jane@example.com"))
                        .emailTags(t -> t.name("campaign").value("spring"))
                        .content(c -> c.template(
                                t -> t.templateName("hello").templateData("{\"name\":\"Jane\",\"items\":[]}"))))
                .messageId();

        JsonNode failure = EventLog.of(server).await(id, "Rendering Failure", WAIT);
        assertThat(failure.at("/failure/templateName").asText()).isEqualTo("hello");
        assertThat(failure.at("/failure/errorMessage").asText())
                .isEqualTo("Attribute 'code' is not present in the rendering data.");
        assertThat(failure.at("/mail/destination/0").asText()).isEqualTo("jane@example.com");
        assertThat(failure.at("/mail/tags/campaign/0").asText()).isEqualTo("spring");
        assertThat(failure.at("/mail/tags/ses:configuration-set/0").asText()).isEqualTo("news");
        assertThat(failure.at("/mail/tags/poolmta:pool/0").asText()).isEqualTo("news");
        assertThat(EventLog.of(server).of(id, "Send")).isEmpty();
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void bulkSendDeliversEachEntryWithItsOwnDataAndReportsTheBadOnes() {
        List<BulkEmailEntry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            String to = switch (n) {
                case 5 -> "not an address";
                default -> "user" + n + "@example.com";
            };
            String data = switch (n) {
                case 17 -> "{oops";
                case 40 -> "{\"name\":\"forty\"}"; // no code: Rendering Failure
                default -> "{\"name\":\"user" + n + "\",\"code\":\"C" + n + "\"}";
            };
            entries.add(BulkEmailEntry.builder()
                    .destination(d -> d.toAddresses(to))
                    .replacementTags(t -> t.name("entry").value("e" + n))
                    .replacementHeaders(
                            n == 23
                                    ? List.of(header("From", "evil@example.com"))
                                    : n % 2 == 0 ? List.of(header("X-Entry", "even" + n)) : List.of())
                    .replacementEmailContent(c -> c.replacementTemplate(t -> t.replacementTemplateData(data)))
                    .build());
        }
        List<BulkEmailEntryResult> results = ses.sendBulkEmail(SendBulkEmailRequest.builder()
                        .fromEmailAddress("news@acme.test")
                        .configurationSetName("news")
                        .defaultEmailTags(t -> t.name("campaign").value("bulk"))
                        .defaultContent(c -> c.template(t -> t.templateName("hello")
                                .templateData("{\"items\":[\"default\"]}")
                                .headers(header("X-Entry", "default"))))
                        .bulkEmailEntries(entries)
                        .build())
                .bulkEmailEntryResults();

        assertThat(results).hasSize(50);
        for (int i : List.of(5, 17, 23)) {
            assertThat(results.get(i).status()).as("entry %d", i).isEqualTo(BulkEmailStatus.INVALID_PARAMETER);
            assertThat(results.get(i).error()).as("entry %d", i).isNotBlank();
            assertThat(results.get(i).messageId()).isNull();
        }
        assertThat(results.get(5).error()).contains("ToAddresses");
        assertThat(results.get(17).error()).contains("not valid JSON");
        assertThat(results.get(23).error()).contains("From");
        assertThat(results.get(40).status()).isEqualTo(BulkEmailStatus.SUCCESS);
        assertThat(results.stream().filter(r -> r.status() == BulkEmailStatus.SUCCESS))
                .hasSize(47);

        Map<String, String> byRecipient = byRecipient(sink.awaitMessages(46, WAIT));
        assertThat(byRecipient).hasSize(46);
        for (int i = 0; i < 50; i++) {
            if (List.of(5, 17, 23, 40).contains(i)) {
                assertThat(byRecipient).doesNotContainKey("user" + i + "@example.com");
                continue;
            }
            assertThat(byRecipient.get("user" + i + "@example.com"))
                    .as("entry %d", i)
                    .contains("Subject: Hello user" + i + "\r\n")
                    .contains("your code is C" + i + ".")
                    .contains("<li>default</li>")
                    .contains("X-Entry: " + (i % 2 == 0 ? "even" + i : "default"));
        }
        assertThat(sink.messages().stream().map(ReceivedMessage::sourceAddress).collect(Collectors.toSet()))
                .isSubsetOf("127.0.0.41", "127.0.0.42");
        EventLog events = EventLog.of(server);
        JsonNode send = events.await(results.get(7).messageId(), "Send", WAIT);
        assertThat(send.at("/mail/tags/entry/0").asText()).isEqualTo("e7");
        assertThat(send.at("/mail/tags/campaign/0").asText()).isEqualTo("bulk");
        JsonNode failure = events.await(results.get(40).messageId(), "Rendering Failure", WAIT);
        assertThat(failure.at("/failure/errorMessage").asText()).contains("'code'");
    }

    @Test
    void badRequestsAreRefusedAsAWhole() {
        expectError(
                () -> ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                        .destination(d -> d.toAddresses("a@example.com"))
                        .content(c -> c.template(t -> t.templateName("hello").templateData("not json")))),
                BadRequestException.class,
                400);
        String tooLarge = "{\"name\":\"" + "x".repeat(TemplateData.MAX_CHARS) + "\"}";
        expectError(
                () -> ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                        .destination(d -> d.toAddresses("a@example.com"))
                        .content(c -> c.template(t -> t.templateName("hello").templateData(tooLarge)))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                        .destination(d -> d.toAddresses("a@example.com"))
                        .content(c -> c.template(t -> t.templateName("nope").templateData("{}")))),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                        .destination(d -> d.toAddresses("a@example.com"))
                        .content(c -> c.template(t -> t.templateName("hello")
                                .templateArn("arn:aws:ses:us-east-1:" + acme.accountId() + ":template/hello")))),
                BadRequestException.class,
                400);

        TestAccount beta = server.createAccount("beta");
        server.addSharedIps("127.0.0.2");
        SesV2Client betaSes = server.ses(beta);
        String acmeArn = "arn:aws:ses:us-east-1:" + acme.accountId() + ":template/hello";
        expectError(
                () -> betaSes.sendEmail(r -> r.fromEmailAddress("b@beta.test")
                        .destination(d -> d.toAddresses("a@example.com"))
                        .content(c -> c.template(t -> t.templateArn(acmeArn).templateData("{}")))),
                NotFoundException.class,
                404);
        expectError(
                () -> betaSes.sendEmail(r -> r.fromEmailAddress("b@beta.test")
                        .destination(d -> d.toAddresses("a@example.com"))
                        .content(c -> c.template(t -> t.templateName("hello").templateData("{}")))),
                NotFoundException.class,
                404);

        List<BulkEmailEntry> entries = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            String to = "u" + i + "@example.com";
            entries.add(
                    BulkEmailEntry.builder().destination(d -> d.toAddresses(to)).build());
        }
        expectError(
                () -> ses.sendBulkEmail(r -> r.fromEmailAddress("news@acme.test")
                        .defaultContent(c -> c.template(t -> t.templateName("hello")))
                        .bulkEmailEntries(entries)),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.sendBulkEmail(r -> r.fromEmailAddress("news@acme.test")
                        .defaultContent(c -> c.template(t -> t.templateName("nope")))
                        .bulkEmailEntries(entries.subList(0, 2))),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.sendBulkEmail(r -> r.fromEmailAddress("news@acme.test")
                        .configurationSetName("missing")
                        .defaultContent(c -> c.template(t -> t.templateName("hello")))
                        .bulkEmailEntries(entries.subList(0, 2))),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.sendBulkEmail(r -> r.fromEmailAddress("news@acme.test")
                        .defaultContent(
                                c -> c.template(t -> t.templateName("hello").templateData("[]")))
                        .bulkEmailEntries(entries.subList(0, 2))),
                BadRequestException.class,
                400);
        assertThat(sink.messages()).isEmpty();
    }

    private static MessageHeader header(String name, String value) {
        return MessageHeader.builder().name(name).value(value).build();
    }

    private static Map<String, String> byRecipient(List<ReceivedMessage> messages) {
        Map<String, String> out = new HashMap<>();
        for (ReceivedMessage m : messages) {
            for (String rcpt : m.recipients()) {
                out.put(rcpt, m.text());
            }
        }
        return out;
    }
}
