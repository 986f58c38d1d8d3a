package io.poolmta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolmta.testing.AdminHttp;
import io.poolmta.testing.SignedHttp;
import io.poolmta.testing.SignedHttp.Result;
import io.poolmta.testing.SignedHttp.Signing;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * SigV4 on the SES API and the operator token on the admin API, over raw HTTP signed by the AWS
 * SDK's own signer: what is accepted, and that everything else is a 403 with the AWS error type.
 */
class SigV4AuthenticationTest {
    private static final String POOLS = "/v2/email/dedicated-ip-pools";

    @TempDir
    Path dir;

    TestServer server;
    TestAccount acme;
    SignedHttp http;
    SesV2Client ses;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        acme = server.createAccount("acme");
        http = SignedHttp.of(server, acme);
        ses = server.ses(acme);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aCorrectlySignedRequestIsServed() {
        Result created = http.post(POOLS, "{\"PoolName\":\"signed\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);

        Result listed = http.get(POOLS);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("DedicatedIpPools").get(0).asText()).isEqualTo("signed");
    }

    @Test
    void noAuthorizationIsMissingAuthenticationToken() {
        Result r = http.request("GET", POOLS).unsigned().send();

        expectDenied(r, "MissingAuthenticationTokenException");
    }

    @Test
    void anUnknownAccessKeyIsUnrecognizedClient() {
        Result r = http.request("GET", POOLS)
                .credentials("AKIAUNKNOWN000000000", acme.secretAccessKey())
                .send();

        expectDenied(r, "UnrecognizedClientException");
    }

    @Test
    void aWrongSecretIsInvalidSignature() {
        Result r = http.request("POST", POOLS)
                .body("{\"PoolName\":\"forged\"}")
                .credentials(acme.accessKeyId(), "wrong-secret")
                .send();

        expectDenied(r, "InvalidSignatureException");
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).isEmpty();
    }

    @Test
    void theSdkClientWithAWrongSecretFailsWith403() {
        SesV2Client forged = server.ses(acme.accessKeyId(), "wrong-secret");

        SesV2Exception error = catchThrowableOfType(
                SesV2Exception.class, () -> forged.createDedicatedIpPool(r -> r.poolName("forged")));

        assertThat(error).isNotNull();
        assertThat(error.statusCode()).isEqualTo(403);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).isEmpty();
    }

    @Test
    void aSignatureTwentyMinutesOldOrAheadIsRejected() {
        Instant now = Instant.now();

        Result past = http.request("GET", POOLS)
                .signedAt(now.minus(Duration.ofMinutes(20)))
                .send();
        Result future = http.request("GET", POOLS)
                .signedAt(now.plus(Duration.ofMinutes(20)))
                .send();

        expectDenied(past, "InvalidSignatureException");
        assertThat(past.message()).contains("15 minutes");
        expectDenied(future, "InvalidSignatureException");
    }

    @Test
    void aSignatureTenMinutesOffIsStillWithinTheAllowedSkew() {
        Instant now = Instant.now();

        assertThat(http.request("GET", POOLS)
                        .signedAt(now.minus(Duration.ofMinutes(10)))
                        .send()
                        .status())
                .isEqualTo(200);
        assertThat(http.request("GET", POOLS)
                        .signedAt(now.plus(Duration.ofMinutes(10)))
                        .send()
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aSignedRequestReplayedWithAnotherBodyIsRejected() {
        SignedHttp.Request request = http.request("POST", POOLS).body("{\"PoolName\":\"alpha\"}");
        assertThat(request.send().status()).isEqualTo(200);

        Result replayed = request.bodyAfterSigning("{\"PoolName\":\"evil\"}").replay();

        expectDenied(replayed, "InvalidSignatureException");
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).containsExactly("alpha");
    }

    @Test
    void aBodyChangedAfterSigningIsRejectedEvenOfTheSameLength() {
        Result r = http.request("POST", POOLS)
                .body("{\"PoolName\":\"aaaaa\"}")
                .bodyAfterSigning("{\"PoolName\":\"bbbbb\"}")
                .send();

        expectDenied(r, "InvalidSignatureException");
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).isEmpty();
    }

    @Test
    void aChangedSignedHeaderIsRejected() {
        Result changedType = http.request("POST", POOLS)
                .body("{\"PoolName\":\"typed\"}")
                .headersAfterSigning(h -> h.put("Content-Type", "application/x-amz-json-1.0"))
                .send();
        Result changedDate = http.request("GET", POOLS)
                .headersAfterSigning(h -> h.put("X-Amz-Date", shiftOneSecond(h.get("X-Amz-Date"))))
                .send();
        Result removed = http.request("POST", POOLS)
                .body("{\"PoolName\":\"typed\"}")
                .headersAfterSigning(h -> h.remove("Content-Type"))
                .send();

        expectDenied(changedType, "InvalidSignatureException");
        expectDenied(changedDate, "InvalidSignatureException");
        expectDenied(removed, "InvalidSignatureException");
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).isEmpty();
    }

    @Test
    void anUnsignedHeaderAddedAfterSigningDoesNotMatter() {
        Result r = http.request("GET", POOLS)
                .headersAfterSigning(h -> h.put("X-Extra", "not signed"))
                .send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void aSignatureForTheServiceNameEmailIsRejected() {
        Result r = http.request("GET", POOLS).service("email").send();

        expectDenied(r, "InvalidSignatureException");
        assertThat(r.message()).contains("ses");
    }

    @Test
    void anyRegionIsAccepted() {
        Result r = http.request("POST", POOLS)
                .body("{\"PoolName\":\"irish\"}")
                .region("eu-west-1")
                .send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).containsExactly("irish");
    }

    @Test
    void anAwsCliStyleSignatureWithoutContentSha256IsAccepted() {
        Result get =
                http.request("GET", POOLS + "?PageSize=5").signing(Signing.CLI).send();
        Result post = http.request("POST", POOLS)
                .body("{\"PoolName\":\"from-cli\"}")
                .signing(Signing.CLI)
                .send();

        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(post.status()).as(post.toString()).isEqualTo(200);
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).containsExactly("from-cli");
    }

    @Test
    void anAwsCliStyleSignatureIsCheckedToo() {
        Result wrongSecret = http.request("GET", POOLS)
                .signing(Signing.CLI)
                .credentials(acme.accessKeyId(), "wrong-secret")
                .send();
        Result changedBody = http.request("POST", POOLS)
                .body("{\"PoolName\":\"cli-a\"}")
                .signing(Signing.CLI)
                .bodyAfterSigning("{\"PoolName\":\"cli-b\"}")
                .send();

        expectDenied(wrongSecret, "InvalidSignatureException");
        expectDenied(changedBody, "InvalidSignatureException");
        assertThat(ses.listDedicatedIpPools(q -> {}).dedicatedIpPools()).isEmpty();
    }

    @Test
    void aSignedQueryStringCannotBeChanged() {
        Result signed = http.request("GET", POOLS + "?PageSize=1").send();
        assertThat(signed.status()).isEqualTo(200);

        Result otherQuery = http.request("GET", POOLS + "?PageSize=1")
                .pathAfterSigning(POOLS + "?PageSize=2")
                .send();
        Result otherPath =
                http.request("GET", POOLS + "/a").pathAfterSigning(POOLS + "/b").send();

        expectDenied(otherQuery, "InvalidSignatureException");
        expectDenied(otherPath, "InvalidSignatureException");
    }

    @Test
    void theOperatorTokenIsNotACredentialForTheSesApi() {
        Result r = http.request("GET", POOLS)
                .unsigned()
                .header("Authorization", "Bearer " + server.operatorToken())
                .send();

        expectDenied(r, "IncompleteSignatureException");
        assertThat(r.json().has("DedicatedIpPools")).isFalse();
    }

    @Test
    void anIncompleteSigV4HeaderIsDenied() {
        Result noSignature = http.request("GET", POOLS)
                .headersAfterSigning(
                        h -> h.put("Authorization", h.get("Authorization").replaceAll(", *Signature=[0-9a-f]+", "")))
                .send();
        Result noDate = http.request("GET", POOLS)
                .headersAfterSigning(h -> h.remove("X-Amz-Date"))
                .send();

        expectDenied(noSignature, "IncompleteSignatureException");
        assertThat(noSignature.message()).contains("Signature");
        expectDenied(noDate, "IncompleteSignatureException");
    }

    @Test
    void anAccountSignatureIsNotACredentialForTheAdminApi() {
        Result list = http.get("/admin/v1/accounts");
        Result create = http.post("/admin/v1/accounts", "{\"Name\":\"mallory\"}");

        expectDenied(list, "AccessDeniedException");
        expectDenied(create, "AccessDeniedException");
        assertThat(list.json().has("Accounts")).isFalse();
        assertThat(accountNames()).containsExactly("acme");
    }

    @Test
    void theAdminApiWantsTheOperatorToken() {
        AdminHttp.Result none = new AdminHttp(server.url(), null).call("GET", "/accounts", null);
        AdminHttp.Result wrong =
                new AdminHttp(server.url(), "not-the-token").call("POST", "/accounts", "{\"Name\":\"mallory\"}");
        AdminHttp.Result prefix =
                new AdminHttp(server.url(), server.operatorToken() + "x").call("GET", "/accounts", null);

        for (AdminHttp.Result r : List.of(none, wrong, prefix)) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.errorType()).isEqualTo("AccessDeniedException");
            assertThat(r.body().get("message").asText()).isNotBlank();
            assertThat(r.body().has("Accounts")).isFalse();
        }
        assertThat(accountNames()).containsExactly("acme");
    }

    @Test
    void theOperatorTokenOpensTheAdminApi() {
        AdminHttp.Result r = server.admin().call("GET", "/accounts", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("Accounts").get(0).get("AccountId").asText()).isEqualTo(acme.accountId());
    }

    @Test
    void anOperationPoolMtaDoesNotServeIsABadRequestOnlyAfterAuthentication() {
        Result unsigned =
                http.request("GET", "/v2/email/contact-lists").unsigned().send();
        Result signed = http.get("/v2/email/contact-lists");
        Result wrongMethod = http.request("PATCH", POOLS).body("{}").send();

        expectDenied(unsigned, "MissingAuthenticationTokenException");
        assertThat(signed.status()).isEqualTo(400);
        assertThat(signed.errorType()).isEqualTo("BadRequestException");
        assertThat(signed.message()).contains("/v2/email/contact-lists");
        assertThat(wrongMethod.status()).isEqualTo(400);
        assertThat(wrongMethod.errorType()).isEqualTo("BadRequestException");
    }

    private static void expectDenied(Result r, String errorType) {
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.errorType()).as(r.toString()).isEqualTo(errorType);
        assertThat(r.message()).as(r.toString()).isNotBlank();
    }

    private List<String> accountNames() {
        List<String> names = new ArrayList<>();
        server.admin()
                .ok("GET", "/accounts", null)
                .get("Accounts")
                .forEach(a -> names.add(a.get("Name").asText()));
        return names;
    }

    private static String shiftOneSecond(String amzDate) {
        int last = amzDate.charAt(amzDate.length() - 2) - '0';
        return amzDate.substring(0, amzDate.length() - 2) + ((last + 1) % 10) + "Z";
    }
}
