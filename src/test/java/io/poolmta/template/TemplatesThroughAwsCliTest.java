package io.poolmta.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.AwsCli;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Templates through the AWS CLI ({@code aws sesv2}) as an application moving from SES would use
 * them: create (with tags), render test, SendEmail with Template content and SendBulkEmail, each
 * answer read as the CLI prints it and each message seen at a loopback sink. Skipped, saying why,
 * when no {@code aws} command is installed.
 */
class TemplatesThroughAwsCliTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    TestAccount acme;
    AwsCli aws;

    @BeforeEach
    void setUp() throws Exception {
        AwsCli.assumeAvailable();
        server = TestServer.start(dir.resolve("server"));
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.51", "127.0.0.52");
        SesV2Client ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("news"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.51").destinationPoolName("news"));
        ses.createConfigurationSet(r -> r.configurationSetName("news").deliveryOptions(d -> d.sendingPoolName("news")));
        aws = new AwsCli(server, acme, Files.createDirectories(dir.resolve("home")));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void anApplicationCreatesRendersAndSendsTemplatesWithTheCli() {
        aws.sesv2(
                        "create-email-template",
                        "--template-name",
                        "welcome",
                        "--template-content",
                        "{\"Subject\":\"Hi {{name}}\",\"Text\":\"Dear {{name}}, code {{code}}.\","
                                + "\"Html\":\"<p>Dear {{name}}</p>\"}",
                        "--tags",
                        "Key=team,Value=growth")
                .json();

        JsonNode template =
                aws.sesv2("get-email-template", "--template-name", "welcome").json();
        assertThat(template.at("/TemplateContent/Subject").asText()).isEqualTo("Hi {{name}}");
        JsonNode tags = aws.sesv2(
                        "list-tags-for-resource",
                        "--resource-arn",
                        "arn:aws:ses:us-east-1:" + acme.accountId() + ":template/welcome")
                .json();
        assertThat(tags.at("/Tags/0/Key").asText()).isEqualTo("team");
        assertThat(tags.at("/Tags/0/Value").asText()).isEqualTo("growth");

        JsonNode rendered = aws.sesv2(
                        "test-render-email-template",
                        "--template-name",
                        "welcome",
                        "--template-data",
                        "{\"name\":\"Jo <3\",\"code\":\"A1\"}")
                .json();
        assertThat(rendered.get("RenderedTemplate").asText())
                .contains("Subject: Hi Jo <3")
                .contains("Dear Jo <3, code A1.")
                .contains("<p>Dear Jo &lt;3</p>");

        String id = aws.sesv2(
                        "send-email",
                        "--from-email-address",
                        "news@acme.test",
                        "--destination",
                        "ToAddresses=jo@example.com",
                        "--configuration-set-name",
                        "news",
                        "--content",
                        "Template={TemplateName=welcome,TemplateData='{\"name\":\"Jo\",\"code\":\"A1\"}'}")
                .json()
                .get("MessageId")
                .asText();
        ReceivedMessage single = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(single.recipients()).containsExactly("jo@example.com");
        assertThat(single.sourceAddress()).isEqualTo("127.0.0.51");
        assertThat(single.text())
                .contains("Subject: Hi Jo\r\n")
                .contains("Dear Jo, code A1.")
                .contains("Message-ID: <" + id + "@");

        JsonNode bulk = aws.sesv2(
                        "send-bulk-email",
                        "--from-email-address",
                        "news@acme.test",
                        "--configuration-set-name",
                        "news",
                        "--default-content",
                        "{\"Template\":{\"TemplateName\":\"welcome\",\"TemplateData\":\"{\\\"code\\\":\\\"D\\\"}\"}}",
                        "--bulk-email-entries",
                        "[" + entry("ann@example.com", "{\\\"name\\\":\\\"Ann\\\"}") + ","
                                + entry("bob@example.com", "{\\\"name\\\":\\\"Bob\\\",\\\"code\\\":\\\"B2\\\"}")
                                + "]")
                .json();
        JsonNode results = bulk.get("BulkEmailEntryResults");
        assertThat(results).hasSize(2);
        for (JsonNode result : results) {
            assertThat(result.get("Status").asText()).isEqualTo("SUCCESS");
            assertThat(result.get("MessageId").asText()).isNotBlank();
        }

        Map<String, String> byRecipient = new HashMap<>();
        for (ReceivedMessage m : sink.awaitMessages(3, WAIT)) {
            m.recipients().forEach(r -> byRecipient.put(r, m.text()));
        }
        assertThat(byRecipient.keySet())
                .containsExactlyInAnyOrder("jo@example.com", "ann@example.com", "bob@example.com");
        assertThat(byRecipient.get("ann@example.com"))
                .contains("Subject: Hi Ann\r\n")
                .contains("Dear Ann, code D.")
                .contains("Message-ID: <" + results.get(0).get("MessageId").asText() + "@");
        assertThat(byRecipient.get("bob@example.com"))
                .contains("Subject: Hi Bob\r\n")
                .contains("Dear Bob, code B2.")
                .contains("Message-ID: <" + results.get(1).get("MessageId").asText() + "@");
        assertThat(sink.messages().stream().map(ReceivedMessage::sourceAddress)).containsOnly("127.0.0.51");
    }

    @Test
    void theCliReportsAnUnknownTemplateAsNotFound() {
        AwsCli.Result result =
                aws.sesv2("test-render-email-template", "--template-name", "ghost", "--template-data", "{}");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("NotFoundException").contains("ghost");
        assertThat(List.of(result.out())).containsExactly("");
    }

    /** One BulkEmailEntry as JSON; {@code data} is already escaped for a JSON string. */
    private static String entry(String to, String data) {
        return "{\"Destination\":{\"ToAddresses\":[\"" + to + "\"]},"
                + "\"ReplacementEmailContent\":{\"ReplacementTemplate\":{\"ReplacementTemplateData\":\"" + data
                + "\"}}}";
    }
}
