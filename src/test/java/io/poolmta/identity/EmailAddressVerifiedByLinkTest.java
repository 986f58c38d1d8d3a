package io.poolmta.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.server.IdentityOptions;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.GetEmailIdentityResponse;
import software.amazon.awssdk.services.sesv2.model.VerificationStatus;

/**
 * An email-address identity created through the AWS SDK is mailed a one-time link through
 * PoolMTA's own pipeline; a plain HTTP client following it verifies the address. A link works
 * once and for 24 hours, each outcome with a page that says so.
 */
class EmailAddressVerifiedByLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern LINK = Pattern.compile("(https?://\\S+/verify-email/[A-Za-z0-9_-]+)");

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private SesV2Client start(IdentityOptions options) {
        server = TestServer.startConfigured(
                dir.resolve("data"), MutableClock.startingNow(), c -> c.withIdentity(options));
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.62");
        return server.ses(acme);
    }

    private static String link(ReceivedMessage m) {
        Matcher matcher = LINK.matcher(m.text());
        assertThat(matcher.find()).as(m.text()).isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> follow(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void followingTheMailedLinkVerifiesTheAddressOnce() throws Exception {
        SesV2Client ses = start(IdentityOptions.defaults());
        ses.createEmailIdentity(r -> r.emailIdentity("alice@example.com"));
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("alice@example.com"))
                        .verificationStatus())
                .isEqualTo(VerificationStatus.PENDING);

        ReceivedMessage mail = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(mail.recipients()).containsExactly("alice@example.com");
        assertThat(mail.text()).contains("From: no-reply@poolmta.localhost").contains("To: alice@example.com");
        String url = link(mail);
        assertThat(url).startsWith(server.url() + "/verify-email/");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(token).hasSize(43); // 256 random bits, base64url

        HttpResponse<String> page = follow(url);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("alice@example.com is verified");
        GetEmailIdentityResponse got = ses.getEmailIdentity(r -> r.emailIdentity("alice@example.com"));
        assertThat(got.verificationStatus()).isEqualTo(VerificationStatus.SUCCESS);
        assertThat(got.verifiedForSendingStatus()).isTrue();
        assertThat(server.admin()
                        .ok("GET", "/accounts/acme/identities/alice%40example.com", null)
                        .path("VerifiedBy")
                        .asText())
                .isEqualTo("LINK");

        HttpResponse<String> again = follow(url);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("already used");

        HttpResponse<String> unknown = follow(server.url() + "/verify-email/" + "A".repeat(43));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("not valid");
        assertThat(follow(server.url() + "/verify-email/../v2/email/identities").statusCode())
                .isIn(400, 404);

        // only the token's hash is stored
        try (Stream<Path> db = Files.list(server.dataDir())
                .filter(p -> p.getFileName().toString().endsWith(".db"))) {
            for (Path p : db.toList()) {
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                        .as(p.toString())
                        .doesNotContain(token);
            }
        }
    }

    @Test
    void anExpiredLinkSaysSoAndVerifiesNothing() throws Exception {
        SesV2Client ses = start(IdentityOptions.defaults()
                .withPublicUrl("http://verify.example.test/")
                .withVerificationFrom("postmaster@mta.example.test"));
        ses.createEmailIdentity(r -> r.emailIdentity("bob@example.com"));
        ReceivedMessage mail = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(mail.text()).contains("From: postmaster@mta.example.test");
        String url = link(mail);
        assertThat(url).startsWith("http://verify.example.test/verify-email/");
        String local = server.url() + url.substring("http://verify.example.test".length());

        // a link made for an identity since deleted does not verify the one created again
        ses.deleteEmailIdentity(r -> r.emailIdentity("bob@example.com"));
        server.clock().advance(Duration.ofSeconds(1));
        ses.createEmailIdentity(r -> r.emailIdentity("bob@example.com"));
        assertThat(follow(local).statusCode()).isEqualTo(404);
        String second = link(sink.awaitMessages(2, WAIT).get(1));
        assertThat(second).isNotEqualTo(url);
        local = server.url() + second.substring("http://verify.example.test".length());

        server.clock().advance(EmailVerification.VALID_FOR.plusSeconds(1));
        HttpResponse<String> page = follow(local);
        assertThat(page.statusCode()).isEqualTo(410);
        assertThat(page.body()).contains("expired").contains("create it again");
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("bob@example.com")).verifiedForSendingStatus())
                .isFalse();
    }
}
