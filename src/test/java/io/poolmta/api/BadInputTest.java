package io.poolmta.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.SesErrors;
import io.poolmta.testing.SignedHttp;
import io.poolmta.testing.SignedHttp.Result;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;

/**
 * Bad input over raw, correctly signed HTTP: every mistake a client can make is a 4xx with the SES
 * error header and a message that helps, never a 5xx and never a Java stack trace; and the server
 * keeps serving afterwards.
 */
class BadInputTest {
    private static final String POOLS = "/v2/email/dedicated-ip-pools";
    /**
     * The error types a client may see: the SES v2 model's error shapes, and the common errors of
     * AWS JSON services for authentication and unknown paths (listed in the README).
     */
    private static final Set<String> DOCUMENTED_ERROR_TYPES = Set.of(
            "AccountSuspendedException",
            "AlreadyExistsException",
            "BadRequestException",
            "ConcurrentModificationException",
            "ConflictException",
            "InternalServiceErrorException",
            "InvalidNextTokenException",
            "LimitExceededException",
            "MailFromDomainNotVerifiedException",
            "MessageRejected",
            "NotFoundException",
            "SendingPausedException",
            "TooManyRequestsException",
            "AccessDeniedException",
            "IncompleteSignatureException",
            "InvalidSignatureException",
            "MissingAuthenticationTokenException",
            "UnrecognizedClientException",
            "UnknownOperationException");

    private static final String IP = "127.0.0.11";
    private static final int MIB = 1024 * 1024;
    private static final List<String> LEAKS = List.of(
            "at io.poolmta",
            "at java.",
            "at com.",
            "at org.",
            "\tat ",
            "Exception:",
            "Caused by",
            "com.fasterxml",
            "java.lang",
            "jdk.internal",
            "org.h2",
            "SQL");

    @TempDir
    Path dir;

    TestServer server;
    TestAccount acme;
    SignedHttp http;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        acme = server.createAccount("acme");
        server.leaseIps(acme, IP);
        http = SignedHttp.of(server, acme);
        ok(http.post("/v2/email/configuration-sets", "{\"ConfigurationSetName\":\"newsletters\"}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void malformedJsonIsABadRequestThatSaysWhere() {
        for (String body : List.of(
                "{\"PoolName\": ",
                "{PoolName: \"x\"}",
                "{\"PoolName\":\"x\"} trailing",
                "'single'",
                "{\"PoolName\":\"x\",}",
                "\u0000\u0001\u0002",
                "{\"PoolName\":\"\\uZZZZ\"}")) {
            Result r = http.post(POOLS, body);

            expectBadRequest(r, "The request body is not valid JSON");
        }
        assertNoPoolsWereCreated();
    }

    @Test
    void aBodyThatIsNotAnObjectIsABadRequest() {
        expectBadRequest(http.post(POOLS, "[{\"PoolName\":\"x\"}]"), "must be a JSON object, got a list");
        expectBadRequest(http.post(POOLS, "\"marketing\""), "must be a JSON object, got a string");
        expectBadRequest(http.post(POOLS, "42"), "must be a JSON object");
        assertNoPoolsWereCreated();
    }

    @Test
    void deeplyNestedJsonIsABadRequest() {
        String deep = "{\"PoolName\":\"deep\",\"Tags\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        expectBadRequest(http.post(POOLS, deep), "JSON");
        assertNoPoolsWereCreated();
    }

    @Test
    void wrongJsonTypesAreBadRequestsNamingTheField() {
        expectBadRequest(http.post(POOLS, "{\"PoolName\":5}"), "'PoolName' must be a string");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"p\",\"Tags\":\"team=growth\"}"), "'Tags' must be a list");
        expectBadRequest(
                http.post(POOLS, "{\"PoolName\":\"p\",\"Tags\":[{\"Key\":1,\"Value\":\"v\"}]}"), "Tags[0].Key");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"p\",\"Tags\":[\"k\"]}"), "Tags[0]");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"p\",\"ScalingMode\":\"SIDEWAYS\"}"), "ScalingMode");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"p\",\"ScalingMode\":true}"), "ScalingMode");
        expectBadRequest(http.put(POOLS + "/p/scaling", "{\"ScalingMode\":\"managed\"}"), "ScalingMode");
        assertNoPoolsWereCreated();

        String warmup = "/v2/email/dedicated-ips/" + IP + "/warmup";
        expectBadRequest(http.put(warmup, "{\"WarmupPercentage\":\"50\"}"), "WarmupPercentage");
        expectBadRequest(http.put(warmup, "{\"WarmupPercentage\":1.5}"), "WarmupPercentage");
        expectBadRequest(http.put(warmup, "{\"WarmupPercentage\":99999999999}"), "WarmupPercentage");
        expectBadRequest(http.put(warmup, "{\"WarmupPercentage\":1e400}"), "WarmupPercentage");
        expectBadRequest(
                http.put("/v2/email/dedicated-ips/" + IP + "/pool", "{\"DestinationPoolName\":[]}"),
                "DestinationPoolName");
        expectBadRequest(
                http.put("/v2/email/account/dedicated-ips/warmup", "{\"AutoWarmupEnabled\":\"true\"}"),
                "AutoWarmupEnabled");

        String set = "/v2/email/configuration-sets/newsletters";
        expectBadRequest(http.put(set + "/sending", "{\"SendingEnabled\":\"yes\"}"), "SendingEnabled");
        expectBadRequest(http.put(set + "/sending", "{\"SendingEnabled\":1}"), "SendingEnabled");
        expectBadRequest(http.put(set + "/delivery-options", "{\"MaxDeliverySeconds\":\"600\"}"), "MaxDeliverySeconds");
        expectBadRequest(http.put(set + "/delivery-options", "{\"MaxDeliverySeconds\":600.5}"), "MaxDeliverySeconds");
        expectBadRequest(http.put(set + "/delivery-options", "{\"TlsPolicy\":\"SOMETIMES\"}"), "TlsPolicy");
        expectBadRequest(http.put(set + "/delivery-options", "{\"SendingPoolName\":{}}"), "SendingPoolName");
        expectBadRequest(
                http.put(set + "/reputation-options", "{\"ReputationMetricsEnabled\":\"no\"}"),
                "ReputationMetricsEnabled");
        expectBadRequest(
                http.post(
                        "/v2/email/configuration-sets",
                        "{\"ConfigurationSetName\":\"s2\",\"SendingOptions\":{\"SendingEnabled\":\"yes\"}}"),
                "SendingOptions.SendingEnabled");
        expectBadRequest(
                http.post(
                        "/v2/email/configuration-sets",
                        "{\"ConfigurationSetName\":\"s2\",\"DeliveryOptions\":\"fast\"}"),
                "DeliveryOptions");
        expectBadRequest(
                http.post("/v2/email/tags", "{\"ResourceArn\":\"" + acme.poolArn("x") + "\",\"Tags\":{\"Key\":\"k\"}}"),
                "Tags");

        Result sending = ok(http.get(set));
        assertThat(sending.json().get("SendingOptions").get("SendingEnabled").asBoolean())
                .isTrue();
        assertThat(sending.json().get("DeliveryOptions").has("MaxDeliverySeconds"))
                .isFalse();
        assertThat(ok(http.get("/v2/email/configuration-sets")).json().get("ConfigurationSets"))
                .extracting(n -> n.asText())
                .containsExactly("newsletters");
    }

    @Test
    void valuesOutOfRangeAreBadRequests() {
        String set = "/v2/email/configuration-sets/newsletters";
        expectBadRequest(http.put(set + "/delivery-options", "{\"MaxDeliverySeconds\":299}"), "MaxDeliverySeconds");
        expectBadRequest(http.put(set + "/delivery-options", "{\"MaxDeliverySeconds\":50401}"), "MaxDeliverySeconds");
        expectBadRequest(
                http.put("/v2/email/dedicated-ips/" + IP + "/warmup", "{\"WarmupPercentage\":101}"),
                "WarmupPercentage");
        expectBadRequest(
                http.put("/v2/email/dedicated-ips/" + IP + "/warmup", "{\"WarmupPercentage\":-1}"), "WarmupPercentage");
        for (String seconds : List.of(
                "9223372036854775807",
                "-9223372036854775808",
                "100000000000000000",
                "10000000000000000",
                "253402300800",
                "-1",
                "1e400",
                "\"1700000000\"")) {
            Result r = http.post(
                    "/v2/email/configuration-sets",
                    "{\"ConfigurationSetName\":\"fresh\"," + "\"ReputationOptions\":{\"LastFreshStart\":" + seconds
                            + "}}");
            expectBadRequest(r, "LastFreshStart");
        }
        assertThat(ok(http.get("/v2/email/configuration-sets")).json().get("ConfigurationSets"))
                .extracting(n -> n.asText())
                .containsExactly("newsletters");
    }

    @Test
    void aLastFreshStartWithMillisecondsAsTheSdkSendsItIsAccepted() {
        SesV2Client ses = server.ses(acme);

        ses.createConfigurationSet(r -> r.configurationSetName("fresh")
                .reputationOptions(o -> o.lastFreshStart(Instant.ofEpochMilli(1_700_000_000_123L))));

        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("fresh"))
                        .reputationOptions()
                        .lastFreshStart())
                .isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    }

    @Test
    void theSdkHearsABadRequestWhenItSendsMoreThanOneMebibyte() {
        SesV2Client ses = server.ses(acme);

        var error = SesErrors.expectError(
                () -> ses.createConfigurationSet(r -> r.configurationSetName("huge")
                        .trackingOptions(t -> t.customRedirectDomain("x".repeat(2 * MIB)))),
                BadRequestException.class,
                400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("limit");
        assertThat(ses.listConfigurationSets(r -> {}).configurationSets()).containsExactly("newsletters");
    }

    @Test
    void missingRequiredFieldsAreBadRequestsNamingThem() {
        expectBadRequest(http.post(POOLS, "{}"), "PoolName");
        expectBadRequest(http.post(POOLS, ""), "PoolName");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":null}"), "PoolName");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"\"}"), "PoolName");
        expectBadRequest(http.put(POOLS + "/p/scaling", "{}"), "ScalingMode");
        expectBadRequest(http.post("/v2/email/configuration-sets", "{}"), "ConfigurationSetName");
        expectBadRequest(http.put("/v2/email/dedicated-ips/" + IP + "/pool", "{}"), "DestinationPoolName");
        expectBadRequest(
                http.put("/v2/email/dedicated-ips/" + IP + "/pool", "{\"DestinationPoolName\":\"\"}"),
                "DestinationPoolName");
        expectBadRequest(http.put("/v2/email/dedicated-ips/" + IP + "/warmup", "{}"), "WarmupPercentage");
        expectBadRequest(http.post("/v2/email/tags", "{\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}"), "ResourceArn");
        expectBadRequest(http.post("/v2/email/tags", "{\"ResourceArn\":\"" + acme.poolArn("x") + "\"}"), "Tags");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"p\",\"Tags\":[{\"Value\":\"v\"}]}"), "Key");
        expectBadRequest(http.get("/v2/email/tags"), "ResourceArn");
        expectBadRequest(http.delete("/v2/email/tags"), "ResourceArn");
        assertNoPoolsWereCreated();
    }

    @Test
    void overLongNamesAreBadRequests() {
        String long65 = "a".repeat(65);
        String huge = "b".repeat(200_000);

        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"" + long65 + "\"}"), "64");
        expectBadRequest(http.post(POOLS, "{\"PoolName\":\"" + huge + "\"}"), "64");
        expectBadRequest(
                http.post("/v2/email/configuration-sets", "{\"ConfigurationSetName\":\"" + long65 + "\"}"), "64");
        expectBadRequest(http.get("/v2/email/configuration-sets/" + long65), "64");
        expectBadRequest(
                http.post(
                        POOLS, "{\"PoolName\":\"p\",\"Tags\":[{\"Key\":\"" + "k".repeat(129) + "\",\"Value\":\"v\"}]}"),
                "128");
        expectBadRequest(
                http.post(
                        POOLS, "{\"PoolName\":\"p\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"" + "v".repeat(257) + "\"}]}"),
                "256");
        expectClientError(http.get(POOLS + "/" + long65));
        expectClientError(http.delete(POOLS + "/" + "c".repeat(5000)));
        expectClientError(http.get("/v2/email/tags?ResourceArn=" + acme.poolArn("d".repeat(3000))));
        expectClientError(
                http.put("/v2/email/dedicated-ips/" + IP + "/pool", "{\"DestinationPoolName\":\"" + huge + "\"}"));
        expectClientError(http.put(
                "/v2/email/configuration-sets/newsletters/delivery-options", "{\"SendingPoolName\":\"" + huge + "\"}"));
        assertNoPoolsWereCreated();
    }

    @Test
    void aPathIpThatIsNotIpv4IsABadRequest() {
        for (String ip : List.of(
                "not-an-ip",
                "256.0.0.1",
                "127.0.0.011",
                "127.0.0",
                "127.0.0.1.5",
                "%3A%3A1",
                "1.2.3.4%20",
                "%F0%9F%92%A5",
                "-1.0.0.1",
                "1" + "0".repeat(4000))) {
            expectBadRequest(http.get("/v2/email/dedicated-ips/" + ip), "IPv4");
            expectBadRequest(
                    http.put(
                            "/v2/email/dedicated-ips/" + ip + "/pool",
                            "{\"DestinationPoolName\":\"ses-default-dedicated-pool\"}"),
                    "IPv4");
            expectBadRequest(http.put("/v2/email/dedicated-ips/" + ip + "/warmup", "{\"WarmupPercentage\":5}"), "IPv4");
        }
        assertThat(ok(http.get("/v2/email/dedicated-ips/" + IP))
                        .json()
                        .get("DedicatedIp")
                        .get("Ip")
                        .asText())
                .isEqualTo(IP);
    }

    @Test
    void percentEncodedGarbageInThePathIsAClientError() {
        for (String label : List.of(
                "%00",
                "%FF%FE",
                "%C3%28",
                "%2F",
                "%2E%2E",
                "%25",
                "%0D%0AX-Injected:%201",
                "%E2%80%AE",
                "a%00b",
                "%EF%BF%BF",
                "%ED%A0%80")) {
            expectClientError(http.get(POOLS + "/" + label));
            expectClientError(http.delete(POOLS + "/" + label));
            expectClientError(http.put(POOLS + "/" + label + "/scaling", "{\"ScalingMode\":\"MANAGED\"}"));
            expectClientError(http.get("/v2/email/configuration-sets/" + label));
            expectClientError(
                    http.put("/v2/email/configuration-sets/" + label + "/sending", "{\"SendingEnabled\":true}"));
            expectClientError(http.get("/v2/email/dedicated-ips?PoolName=" + label));
            expectClientError(http.get("/v2/email/tags?ResourceArn=" + label));
        }
        assertNoPoolsWereCreated();
    }

    @Test
    void escapesTheUriSyntaxForbidsAreRefusedWithoutA5xx() throws IOException {
        for (String target : List.of(
                POOLS + "/%zz",
                POOLS + "/%",
                POOLS + "/%4",
                POOLS + "?PageSize=%zz",
                POOLS + "/a b",
                POOLS + "/\u00ff",
                "/v2/email/%%%%")) {
            RawResult r = raw("GET " + target + " HTTP/1.1\r\nHost: " + hostPort() + "\r\nConnection: close\r\n\r\n");

            assertThat(r.status()).as(target + " -> " + r).isBetween(400, 499);
        }
        assertServerStillServes();
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedAndTheServerGoesOn() {
        String big = jsonOfSize(MIB + 1);

        Result r = http.post(POOLS, big);

        expectBadRequest(r, "limit");
        assertServerStillServes();
        assertNoPoolsWereCreated();
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsRefusedToo() {
        Result r =
                http.request("POST", POOLS).body(jsonOfSize(2 * MIB)).chunked().send();

        expectBadRequest(r, "limit");
        assertServerStillServes();
        assertNoPoolsWereCreated();
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsServed() {
        Result r = http.post(POOLS, jsonOfSize(MIB));

        ok(r);
        assertThat(ok(http.get(POOLS)).json().get("DedicatedIpPools").get(0).asText())
                .isEqualTo("padded");
    }

    @Test
    void optionGroupsThatTogetherOutgrowTheStoreAreRefusedNotFailed() {
        String set = "/v2/email/configuration-sets/newsletters";
        String domain = "d".repeat(900_000);

        ok(http.put(set + "/tracking-options", "{\"CustomRedirectDomain\":\"" + domain + "\"}"));
        Result second = http.put(set + "/archiving-options", "{\"ArchiveArn\":\"" + domain + "\"}");

        ok(http.post("/v2/email/configuration-sets", "{\"ConfigurationSetName\":\"quotes\"}"));
        Result quoted = http.put(
                "/v2/email/configuration-sets/quotes/suppression-options",
                "{\"ValidationOptions\":{\"x\":\"" + "\\\"".repeat(400_000) + "\"}}");

        expectBadRequest(second, "characters");
        expectBadRequest(quoted, "characters");
        Result got = ok(http.get(set));
        assertThat(got.json().get("TrackingOptions").get("CustomRedirectDomain").asText())
                .hasSize(900_000);
        assertThat(got.json().has("ArchivingOptions")).isFalse();
        assertThat(ok(http.get("/v2/email/configuration-sets/quotes")).json().has("SuppressionOptions"))
                .isFalse();
    }

    @Test
    void aHugeContentLengthIsRefusedWithoutReadingTheBody() throws IOException {
        RawResult r =
                raw("POST " + POOLS + " HTTP/1.1\r\nHost: " + hostPort() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 99999999999\r\nConnection: close\r\n\r\n{}");

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.head().toLowerCase(Locale.ROOT)).contains("x-amzn-errortype: badrequestexception");
        assertServerStillServes();
    }

    @Test
    void badQueryParametersAreBadRequests() {
        expectBadRequest(http.get(POOLS + "?PageSize=abc"), "PageSize");
        expectBadRequest(http.get(POOLS + "?PageSize=1.5"), "PageSize");
        expectBadRequest(http.get(POOLS + "?PageSize=99999999999999"), "PageSize");
        expectBadRequest(http.get(POOLS + "?PageSize=0"), "PageSize");
        expectBadRequest(http.get(POOLS + "?PageSize=-5"), "PageSize");
        expectBadRequest(http.get(POOLS + "?PageSize=%FF"), "PageSize");
        expectBadRequest(http.get(POOLS + "?NextToken=garbage"), "NextToken");
        expectBadRequest(http.get(POOLS + "?NextToken=%00%00"), "NextToken");
        expectBadRequest(http.get("/v2/email/dedicated-ips?PageSize=abc"), "PageSize");
        expectBadRequest(http.get("/v2/email/configuration-sets?PageSize=abc"), "PageSize");
        expectBadRequest(http.post("/v2/email/list-configuration-sets", "{\"PageSize\":\"abc\"}"), "PageSize");
        expectBadRequest(http.get("/v2/email/tags?ResourceArn=arn:aws:ses:us-east-1:123:nothing"), "ResourceArn");
        expectClientError(http.get("/v2/email/dedicated-ips?PoolName=ses-shared-pool"));
        ok(http.get(POOLS + "?PageSize=1000&Unknown=1"));
    }

    @Test
    void unknownRoutesAreErrorsNever500() {
        expectError(http.get("/"), 404, "UnknownOperationException");
        expectError(http.get("/v2"), 404, "UnknownOperationException");
        expectError(http.get("/v1/email/dedicated-ip-pools"), 404, "UnknownOperationException");
        expectError(http.get("/v2/emailx"), 400, "BadRequestException");
        expectError(http.get("/v2/email"), 400, "BadRequestException");
        expectError(http.get("/v2/email/"), 400, "BadRequestException");
        expectError(http.get("/v2/email/dedicated-ip-pools/a/b/c/d"), 400, "BadRequestException");
        expectError(http.request("OPTIONS", POOLS).send(), 400, "BadRequestException");
        expectError(http.request("PATCH", POOLS).body("{}").send(), 400, "BadRequestException");
        expectError(http.request("BREW", POOLS).unsigned().send(), 403, "MissingAuthenticationTokenException");
        var admin = server.admin().call("GET", "/nothing-here", null);
        assertThat(admin.status()).isEqualTo(404);
        assertThat(admin.errorType()).isEqualTo("UnknownOperationException");
        assertThat(admin.body().get("message").asText()).isNotBlank();
    }

    @Test
    void aBodySentToAnUnknownPathDoesNotBreakTheClientsNextRequest() {
        // the server must read the body it will not use: closing with it unread resets the
        // connection, and the client's next request on it fails (found by the fuzzing below). A body
        // over the JDK server's 64 KiB drain that still fits the socket buffers, so the client
        // finishes sending it and keeps the connection for the next request
        String body = "{\"PoolName\":\"" + "q".repeat(86_950) + "\"}";
        for (int i = 0; i < 20; i++) {
            expectError(
                    http.request("PATCH", "/%2E%2E?PoolName=%FF&x=%FF")
                            .body(body)
                            .send(),
                    404,
                    "UnknownOperationException");
            expectError(
                    http.request("PUT", "/v2/email/configuration-sets/nothing/reputation-options")
                            .body("{\"ReputationMetricsEnabled\":true}")
                            .send(),
                    404,
                    "NotFoundException");
        }
    }

    @Test
    void thousandsOfRandomGarbageRequestsGetOnlyDocumentedErrorsAndNeverA5xx() {
        Random random = new Random(20_26_11_26L);
        int served = 0;
        Map<String, Integer> errorTypes = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            String method = pick(random, "GET", "POST", "PUT", "DELETE", "PATCH");
            String path = randomPath(random);
            SignedHttp.Request request = http.request(method, path);
            if (random.nextInt(3) > 0) {
                request.body(randomBody(random));
            }
            if (random.nextInt(10) == 0) {
                request.unsigned();
            }
            Result r = request.send();

            assertThat(r.status()).as("#%d %s %s -> %s", i, method, path, r).isLessThan(500);
            if (r.status() == 200) {
                served++;
            } else {
                expectClientError(r);
                assertThat(r.errorType())
                        .as("#%d %s %s -> %s", i, method, path, r)
                        .isIn(DOCUMENTED_ERROR_TYPES);
                errorTypes.merge(r.errorType(), 1, Integer::sum);
            }
        }
        assertThat(served).as("some random requests are valid").isPositive();
        assertThat(errorTypes.keySet())
                .as("the fuzzing reaches validation, lookups and authentication: %s", errorTypes)
                .contains("BadRequestException", "NotFoundException", "MissingAuthenticationTokenException");
        assertServerStillServes();
    }

    // ---- helpers

    private Result ok(Result r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    private static void expectBadRequest(Result r, String messagePart) {
        expectError(r, 400, "BadRequestException");
        assertThat(r.message()).as(r.toString()).contains(messagePart);
    }

    private static void expectError(Result r, int status, String type) {
        expectClientError(r);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errorType()).as(r.toString()).isEqualTo(type);
    }

    /** 400, 403 or 404; the SES error header; a JSON body with a helpful message and no Java internals. */
    private static void expectClientError(Result r) {
        assertThat(r.status()).as(r.toString()).isIn(400, 403, 404);
        assertThat(r.errorType()).as(r.toString()).isNotBlank();
        assertThat(r.json()).as(r.toString()).isNotNull();
        assertThat(r.json().path("__type").asText()).as(r.toString()).isEqualTo(r.errorType());
        assertThat(r.message()).as(r.toString()).isNotBlank();
        for (String leak : LEAKS) {
            assertThat(r.text()).as(r.toString()).doesNotContain(leak);
        }
    }

    private void assertServerStillServes() {
        Result r = http.post(POOLS, "{\"PoolName\":\"after-the-storm\"}");
        if (r.status() != 200) {
            assertThat(r.errorType()).as(r.toString()).isEqualTo("AlreadyExistsException");
        }
        Result got = ok(http.get(POOLS + "/after-the-storm"));
        assertThat(got.json().get("DedicatedIpPool").get("ScalingMode").asText())
                .isEqualTo("STANDARD");
        ok(http.delete(POOLS + "/after-the-storm"));
    }

    private void assertNoPoolsWereCreated() {
        assertThat(ok(http.get(POOLS)).json().get("DedicatedIpPools")).isEmpty();
    }

    /** A valid CreateDedicatedIpPool body for pool "padded" of exactly {@code size} bytes. */
    private static String jsonOfSize(int size) {
        String head = "{\"PoolName\":\"padded\",\"Padding\":\"";
        String tail = "\"}";
        String json = head + "x".repeat(size - head.length() - tail.length()) + tail;
        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return json;
    }

    private String hostPort() {
        URI uri = URI.create(server.url());
        return uri.getHost() + ":" + uri.getPort();
    }

    record RawResult(int status, String head, String body) {}

    /** Writes the bytes as they are on a plain socket and reads the whole answer. */
    private RawResult raw(String request) throws IOException {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    all.write(buffer, 0, n);
                }
            } catch (IOException closed) {
                // a reset after the answer still leaves the answer
            }
            String text = all.toString(StandardCharsets.ISO_8859_1);
            assertThat(text)
                    .as("an HTTP answer to %s", request.lines().findFirst().orElse(""))
                    .startsWith("HTTP/1.1 ");
            int headEnd = text.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? text : text.substring(0, headEnd);
            String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
            return new RawResult(Integer.parseInt(text.substring(9, 12)), head, body);
        }
    }

    // ---- random requests (fixed seed)

    private static final String[] TEMPLATES = {
        "/v2/email/dedicated-ip-pools",
        "/v2/email/dedicated-ip-pools/{}",
        "/v2/email/dedicated-ip-pools/{}/scaling",
        "/v2/email/dedicated-ips",
        "/v2/email/dedicated-ips/{}",
        "/v2/email/dedicated-ips/{}/pool",
        "/v2/email/dedicated-ips/{}/warmup",
        "/v2/email/account",
        "/v2/email/account/dedicated-ips/warmup",
        "/v2/email/configuration-sets",
        "/v2/email/list-configuration-sets",
        "/v2/email/configuration-sets/{}",
        "/v2/email/configuration-sets/{}/delivery-options",
        "/v2/email/configuration-sets/{}/sending",
        "/v2/email/configuration-sets/{}/reputation-options",
        "/v2/email/configuration-sets/{}/tracking-options",
        "/v2/email/configuration-sets/{}/suppression-options",
        "/v2/email/configuration-sets/{}/vdm-options",
        "/v2/email/configuration-sets/{}/archiving-options",
        "/v2/email/tags",
        "/v2/email/{}",
        "/v2/email/{}/{}/{}",
        "/admin/v1/{}",
        "/{}",
    };

    private static final String[] FIELDS = {
        "PoolName",
        "ScalingMode",
        "Tags",
        "Key",
        "Value",
        "DestinationPoolName",
        "WarmupPercentage",
        "AutoWarmupEnabled",
        "ConfigurationSetName",
        "DeliveryOptions",
        "SendingPoolName",
        "TlsPolicy",
        "MaxDeliverySeconds",
        "SendingOptions",
        "SendingEnabled",
        "ReputationOptions",
        "ReputationMetricsEnabled",
        "LastFreshStart",
        "TrackingOptions",
        "CustomRedirectDomain",
        "HttpsPolicy",
        "SuppressionOptions",
        "SuppressedReasons",
        "SuppressionScope",
        "VdmOptions",
        "DashboardOptions",
        "ArchivingOptions",
        "ResourceArn",
        "TagKeys",
        "NextToken",
        "PageSize",
        "Filter",
        "__proto__",
    };

    private String randomPath(Random random) {
        String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
        StringBuilder path = new StringBuilder();
        int from = 0;
        for (int at; (at = template.indexOf("{}", from)) >= 0; from = at + 2) {
            path.append(template, from, at).append(randomLabel(random));
        }
        path.append(template.substring(from));
        if (random.nextBoolean()) {
            List<String> pairs = new ArrayList<>();
            for (int n = random.nextInt(4); n >= 0; n--) {
                pairs.add(pick(random, "PageSize", "NextToken", "PoolName", "ResourceArn", "TagKeys", "x", "") + "="
                        + randomLabel(random));
            }
            path.append('?').append(String.join("&", pairs));
        }
        return path.toString();
    }

    private String randomLabel(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> pick(random, "marketing", "newsletters", "ses-default-dedicated-pool", "ses-shared-pool", "p");
            case 1 -> pick(random, IP, "127.0.0.99", "0.0.0.0", "255.255.255.255", "1.2.3");
            case 2 ->
                pick(
                        random,
                        acme.poolArn("marketing"),
                        acme.configurationSetArn("newsletters"),
                        "arn:aws:ses:us-east-1:000000000000:dedicated-ip-pool/x");
            case 3 -> String.valueOf(random.nextLong());
            case 4 -> "";
            case 5 -> "x".repeat(random.nextInt(3000));
            case 6 -> pick(random, ".", "..", "%2E%2E", "%00", "%FF", "%2F", "%25", "+", "%2B");
            default -> encode(randomText(random, 1 + random.nextInt(40)));
        };
    }

    private String randomBody(Random random) {
        if (random.nextInt(100) == 0) { // over the 1 MiB limit
            return "{\"" + pick(random, FIELDS) + "\":\"" + "z".repeat(MIB + random.nextInt(1000)) + "\"}";
        }
        return switch (random.nextInt(5)) {
            case 0 -> randomText(random, random.nextInt(200));
            case 1 -> "{" + "\"" + pick(random, FIELDS) + "\":" + "[".repeat(random.nextInt(200));
            default -> randomObject(random, 0).toString();
        };
    }

    private StringBuilder randomObject(Random random, int depth) {
        StringBuilder sb = new StringBuilder("{");
        for (int n = random.nextInt(5); n >= 0; n--) {
            sb.append('"').append(pick(random, FIELDS)).append("\":").append(randomValue(random, depth + 1));
            if (n > 0) {
                sb.append(',');
            }
        }
        return sb.append('}');
    }

    private String randomValue(Random random, int depth) {
        int kind = depth > 3 ? random.nextInt(7) : random.nextInt(10);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> pick(random, "true", "false");
            case 2 ->
                pick(
                        random,
                        "0",
                        "-1",
                        "1.5",
                        "1e400",
                        "-0",
                        "99999999999999999999999",
                        "9223372036854775807",
                        "100",
                        "600",
                        "50401",
                        "1e-400",
                        "31556889864403199");
            case 3 ->
                "\""
                        + pick(
                                random,
                                "MANAGED",
                                "STANDARD",
                                "REQUIRE",
                                "OPTIONAL",
                                "BOUNCE",
                                "ENABLED",
                                "marketing",
                                "ses-default-dedicated-pool",
                                "newsletters",
                                IP)
                        + "\"";
            case 4 -> "\"" + jsonEscape(randomText(random, random.nextInt(100))) + "\"";
            case 5 -> "\"" + "y".repeat(random.nextInt(70_000)) + "\"";
            case 6 -> "[]";
            case 7 -> "[" + randomValue(random, depth + 1) + "," + randomValue(random, depth + 1) + "]";
            case 8 ->
                "[{\"Key\":" + randomValue(random, depth + 1) + ",\"Value\":" + randomValue(random, depth + 1) + "}]";
            default -> randomObject(random, depth).toString();
        };
    }

    private static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int c = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0x2000);
                default -> 0x1F300 + random.nextInt(0x200);
            };
            sb.appendCodePoint(c);
        }
        return sb.toString();
    }

    private static String jsonEscape(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                sb.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
