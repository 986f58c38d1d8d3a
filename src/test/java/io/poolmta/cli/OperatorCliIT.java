package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.testing.Launcher;
import io.poolmta.testing.Launcher.Run;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.DedicatedIp;

/**
 * The operator commands through the real {@code ./poolmta} launcher against a server started by
 * {@code ./poolmta serve}, as an operator would type them. Runs after packaging (failsafe).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path work;
    static Path data;
    static Process server;

    @BeforeAll
    static void serve() throws Exception {
        work = Files.createTempDirectory("poolmta-cli");
        data = work.resolve("data");
        startServer();
    }

    static void startServer() throws Exception {
        server = new ProcessBuilder(
                        Launcher.SCRIPT.toString(),
                        "serve",
                        "--data",
                        data.toString(),
                        "--api",
                        "127.0.0.1:0",
                        "--smtp",
                        "127.0.0.1:0")
                .directory(work.toFile())
                .redirectOutput(work.resolve("serve.out").toFile())
                .redirectError(work.resolve("serve.err").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(data.resolve("server.json")) || !server.isAlive());
        assertThat(server.isAlive())
                .as("server started; stderr: %s", Launcher.read(work.resolve("serve.err")))
                .isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void accountCreatePrintsWorkingSigV4Credentials() throws Exception {
        Run run = poolmta("account", "create", "acme", "--data", data.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode created = JSON.readTree(run.out());
        assertThat(created.get("AccountId").asText()).matches("[0-9]{12}");
        assertThat(created.get("AccessKeyId").asText()).isNotBlank();
        assertThat(created.get("SecretAccessKey").asText()).hasSizeGreaterThanOrEqualTo(40);
        try (SesV2Client ses = ses(created)) {
            assertThat(ses.getAccount(r -> {}).dedicatedIpAutoWarmupEnabled()).isTrue();
        }

        Run again = poolmta("account", "create", "acme", "--data", data.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");

        Run list = poolmta("account", "list", "--data", data.toString());
        assertThat(list.out())
                .contains("acme")
                .contains(created.get("AccountId").asText());
    }

    @Test
    @Order(2)
    void ipAddLeasesSharesAndReservesAddresses() throws Exception {
        JsonNode beta = JSON.readTree(
                poolmta("account", "create", "beta", "--data", data.toString()).out());

        Run dedicated = poolmta(
                "ip",
                "add",
                "127.0.0.11",
                "127.0.0.12",
                "--account",
                "beta",
                "--ehlo",
                "mta1.example.com",
                "--data",
                data.toString());
        Run shared = poolmta("ip", "add", "127.0.0.2", "--shared", "--data", data.toString());
        Run reserve = poolmta("ip", "add", "127.0.0.3", "--reserve", "--data", data.toString());

        assertThat(dedicated.exit()).as(dedicated.err()).isZero();
        assertThat(shared.exit()).as(shared.err()).isZero();
        assertThat(reserve.exit()).as(reserve.err()).isZero();
        Run list = poolmta("ip", "list", "--data", data.toString());
        assertThat(list.out().lines().toList())
                .anySatisfy(l -> assertThat(l)
                        .contains("127.0.0.11")
                        .contains("DEDICATED")
                        .contains("beta")
                        .contains("ses-default-dedicated-pool")
                        .contains("mta1.example.com"))
                .anySatisfy(l ->
                        assertThat(l).contains("127.0.0.2 ").contains("SHARED").contains("ses-shared-pool"))
                .anySatisfy(l -> assertThat(l).contains("127.0.0.3 ").contains("RESERVE"));
        JsonNode json = JSON.readTree(
                poolmta("ip", "list", "--json", "--data", data.toString()).out());
        assertThat(json.get("Ips")).hasSize(4);

        Run paused = poolmta("ip", "pause-warmup", "127.0.0.11", "--data", data.toString());
        assertThat(paused.out()).contains("(paused)");
        Run show = poolmta("warmup", "show", "127.0.0.11", "--data", data.toString());
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("IN_PROGRESS 0%").contains("/ 200");
        assertThat(poolmta("warmup", "show", "127.0.0.3", "--data", data.toString())
                        .out())
                .contains("google")
                .contains("COLD");
        assertThat(poolmta("ip", "resume-warmup", "127.0.0.11", "--data", data.toString())
                        .out())
                .doesNotContain("(paused)");
        Run status = poolmta("status", "--data", data.toString());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("delivered 0");
        try (SesV2Client ses = ses(beta)) {
            assertThat(ses.getDedicatedIps(r -> {}).dedicatedIps())
                    .extracting(DedicatedIp::ip)
                    .containsExactly("127.0.0.11", "127.0.0.12");
        }
    }

    @Test
    @Order(3)
    void ipAddRefusesBadAndTakenAddresses() throws Exception {
        Run taken = poolmta("ip", "add", "127.0.0.11", "--account", "acme", "--data", data.toString());
        assertThat(taken.exit()).isEqualTo(1);
        assertThat(taken.err()).contains("127.0.0.11").contains("already registered");

        Run notIp = poolmta("ip", "add", "1.2.3", "--account", "acme", "--data", data.toString());
        assertThat(notIp.exit()).isEqualTo(1);
        assertThat(notIp.err()).contains("not an IPv4 address");

        Run noRole = poolmta("ip", "add", "127.0.0.40", "--data", data.toString());
        assertThat(noRole.exit()).isEqualTo(2);
        assertThat(noRole.err()).contains("--account");

        Run unknownAccount = poolmta("ip", "add", "127.0.0.41", "--account", "nobody", "--data", data.toString());
        assertThat(unknownAccount.exit()).isEqualTo(1);
        assertThat(unknownAccount.err()).contains("nobody");
    }

    @Test
    @Order(4)
    void routesAreSetListedAndDeleted() throws Exception {
        Run set = poolmta("route", "set", "Example.COM", "127.0.0.1:2525", "--data", data.toString());
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("example.com -> 127.0.0.1:2525");
        poolmta("route", "set", "example.com", "127.0.0.1:2526", "--data", data.toString());

        assertThat(poolmta("route", "list", "--data", data.toString()).out())
                .contains("example.com")
                .contains("127.0.0.1:2526")
                .doesNotContain("2525");

        assertThat(poolmta("route", "delete", "example.com", "--data", data.toString())
                        .exit())
                .isZero();
        Run again = poolmta("route", "delete", "example.com", "--data", data.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("No static route");
        Run bad = poolmta("route", "set", "example.com", "127.0.0.1:99999", "--data", data.toString());
        assertThat(bad.exit()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void serverUrlAndTokenCanBeGivenExplicitly() throws Exception {
        String url = JSON.readTree(data.resolve("server.json").toFile())
                .get("ApiUrl")
                .asText();
        String token = JSON.readTree(data.resolve("operator.json").toFile())
                .get("OperatorToken")
                .asText();
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));

        Run ok = poolmta("account", "list", "--server", url, "--token", token, "--data", elsewhere.toString());
        Run wrongToken = poolmta("account", "list", "--server", url, "--token", "nope", "--data", elsewhere.toString());
        Run noServer = poolmta("account", "list", "--data", elsewhere.toString());

        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("acme");
        assertThat(wrongToken.exit()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("operator credential");
        assertThat(noServer.exit()).isEqualTo(1);
        assertThat(noServer.err()).contains("no running server");
    }

    @Test
    @Order(6)
    void sigtermStopsTheServerCleanlyAndStateSurvives() throws Exception {
        server.destroy(); // SIGTERM
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Launcher.read(work.resolve("serve.err"))).contains("PoolMTA stopped");
        assertThat(data.resolve("server.json")).doesNotExist();

        startServer();
        Run list = poolmta("ip", "list", "--data", data.toString());
        assertThat(list.out()).contains("127.0.0.11").contains("127.0.0.2 ").contains("127.0.0.3 ");
    }

    static Run poolmta(String... args) throws IOException, InterruptedException {
        return Launcher.run(work, args);
    }

    static SesV2Client ses(JsonNode credentials) throws IOException {
        String url = JSON.readTree(data.resolve("server.json").toFile())
                .get("ApiUrl")
                .asText();
        return SesV2Client.builder()
                .endpointOverride(URI.create(url))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        credentials.get("AccessKeyId").asText(),
                        credentials.get("SecretAccessKey").asText())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
