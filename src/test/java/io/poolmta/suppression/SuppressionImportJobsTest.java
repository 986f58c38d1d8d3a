package io.poolmta.suppression;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.DataFormat;
import software.amazon.awssdk.services.sesv2.model.GetImportJobResponse;
import software.amazon.awssdk.services.sesv2.model.ImportJobSummary;
import software.amazon.awssdk.services.sesv2.model.JobStatus;
import software.amazon.awssdk.services.sesv2.model.ListImportJobsResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SuppressedDestinationSummary;
import software.amazon.awssdk.services.sesv2.model.SuppressionListImportAction;

/**
 * Bulk imports into the suppression list through the AWS SDK: CSV and JSON-lines files by path,
 * file: URL and http: URL, PUT and DELETE, records that fail counted and named, a source that
 * cannot be read or holds nothing valid FAILED with the reason, SES's errors, and listing.
 */
class SuppressionImportJobsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    TestServer server;
    TestAccount account;
    SesV2Client ses;
    HttpServer files;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir.resolve("server"));
        account = server.createAccount("acme");
        ses = server.ses(account);
    }

    @AfterEach
    void tearDown() {
        server.close();
        if (files != null) {
            files.stop(0);
        }
    }

    @Test
    void aCsvFileIsImportedAndItsBadRecordsAreCountedAndNamed() throws IOException {
        Path csv = write("list.csv", """
                emailAddress,reason
                one@example.com,BOUNCE
                Two@Example.com, COMPLAINT
                not-an-address,BOUNCE
                three@example.com,SPAM

                four@example.com,bounce
                """);

        GetImportJobResponse job =
                awaitFinished(importJob(SuppressionListImportAction.PUT, csv.toString(), DataFormat.CSV));

        assertThat(job.jobStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.processedRecordsCount()).isEqualTo(5);
        assertThat(job.failedRecordsCount()).isEqualTo(2);
        assertThat(job.failureInfo().errorMessage()).contains("line 4").contains("line 5");
        assertThat(job.importDataSource().s3Url()).isEqualTo(csv.toString());
        assertThat(job.importDestination().suppressionListDestination().suppressionListImportAction())
                .isEqualTo(SuppressionListImportAction.PUT);
        assertThat(job.completedTimestamp()).isNotNull();
        assertThat(listed())
                .containsExactly("four@example.com BOUNCE", "one@example.com BOUNCE", "two@example.com COMPLAINT");

        // DELETE takes addresses alone
        Path remove = write("remove.csv", "one@example.com\nfour@example.com,\nnobody@example.com\n");
        GetImportJobResponse deleted =
                awaitFinished(importJob(SuppressionListImportAction.DELETE, remove.toString(), DataFormat.CSV));
        assertThat(deleted.jobStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(deleted.failedRecordsCount()).isZero();
        assertThat(deleted.failureInfo()).isNull();
        assertThat(listed()).containsExactly("two@example.com COMPLAINT");
    }

    @Test
    void jsonLinesAreImportedFromAFileUrlAndAnHttpUrl() throws IOException {
        Path json = write("list.jsonl", """
                {"emailAddress": "one@example.com", "reason": "BOUNCE"}
                {"emailAddress": "two@example.com", "reason": "COMPLAINT"}
                """);
        GetImportJobResponse fromFile = awaitFinished(
                importJob(SuppressionListImportAction.PUT, json.toUri().toString(), DataFormat.JSON));
        assertThat(fromFile.jobStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(fromFile.processedRecordsCount()).isEqualTo(2);
        assertThat(listed()).containsExactly("one@example.com BOUNCE", "two@example.com COMPLAINT");

        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body =
                "{\"emailAddress\":\"three@example.com\",\"reason\":\"BOUNCE\"}\n".getBytes(StandardCharsets.UTF_8);
        files.createContext("/exports/list.jsonl", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        files.start();
        String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/exports/list.jsonl";
        assertThat(awaitFinished(importJob(SuppressionListImportAction.PUT, url, DataFormat.JSON))
                        .jobStatus())
                .isEqualTo(JobStatus.COMPLETED);
        assertThat(listed()).contains("three@example.com BOUNCE");

        GetImportJobResponse missing = awaitFinished(importJob(
                SuppressionListImportAction.PUT,
                "http://127.0.0.1:" + files.getAddress().getPort() + "/nothing-here",
                DataFormat.JSON));
        assertThat(missing.jobStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(missing.failureInfo().errorMessage()).contains("HTTP 404");
    }

    @Test
    void aSourceThatCannotBeReadOrHoldsNothingValidFails() throws IOException {
        GetImportJobResponse absent = awaitFinished(importJob(
                SuppressionListImportAction.PUT, dir.resolve("absent.csv").toString(), DataFormat.CSV));
        assertThat(absent.jobStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(absent.failureInfo().errorMessage()).contains("no such file");

        Path csv = write("list.csv", "one@example.com,BOUNCE\ntwo@example.com,COMPLAINT\n");
        GetImportJobResponse wrongFormat =
                awaitFinished(importJob(SuppressionListImportAction.PUT, csv.toString(), DataFormat.JSON));
        assertThat(wrongFormat.jobStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(wrongFormat.processedRecordsCount()).isEqualTo(2);
        assertThat(wrongFormat.failedRecordsCount()).isEqualTo(2);
        assertThat(wrongFormat.failureInfo().errorMessage()).contains("no record could be imported");

        Path empty = write("empty.csv", "\n\n");
        GetImportJobResponse nothing =
                awaitFinished(importJob(SuppressionListImportAction.PUT, empty.toString(), DataFormat.CSV));
        assertThat(nothing.jobStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(nothing.failureInfo().errorMessage()).contains("no records");
        assertThat(listed()).isEmpty();
    }

    @Test
    void badRequestsUnknownJobsAndListing() throws IOException {
        expectError(
                () -> importJob(SuppressionListImportAction.PUT, "s3://bucket/list.csv", DataFormat.CSV),
                BadRequestException.class,
                400);
        expectError(
                () -> importJob(SuppressionListImportAction.PUT, "relative/list.csv", DataFormat.CSV),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.createImportJob(
                        r -> r.importDataSource(s -> s.s3Url("/tmp/x.csv").dataFormat(DataFormat.CSV))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.createImportJob(r -> r.importDestination(d -> d.contactListDestination(
                                c -> c.contactListName("list").contactListImportAction("PUT")))
                        .importDataSource(s -> s.s3Url("/tmp/x.csv").dataFormat(DataFormat.CSV))),
                BadRequestException.class,
                400);
        expectError(() -> ses.getImportJob(r -> r.jobId("no-such-job")), NotFoundException.class, 404);

        Path csv = write("list.csv", "one@example.com,BOUNCE\n");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(importJob(SuppressionListImportAction.PUT, csv.toString(), DataFormat.CSV));
            server.clock().advance(Duration.ofSeconds(1));
        }
        ids.forEach(this::awaitFinished);
        ListImportJobsResponse first = ses.listImportJobs(r -> r.pageSize(2));
        assertThat(first.importJobs()).extracting(ImportJobSummary::jobId).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.importJobs().getFirst().jobStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(first.importJobs().getFirst().processedRecordsCount()).isEqualTo(1);
        ListImportJobsResponse second = ses.listImportJobs(r -> r.pageSize(2).nextToken(first.nextToken()));
        assertThat(second.importJobs()).extracting(ImportJobSummary::jobId).containsExactly(ids.get(2));
        assertThat(second.nextToken()).isNull();
        assertThat(ses.listImportJobs(r -> r.importDestinationType("CONTACT_LIST"))
                        .importJobs())
                .isEmpty();

        SesV2Client other = server.ses(server.createAccount("other"));
        assertThat(other.listImportJobs(r -> {}).importJobs()).isEmpty();
        expectError(() -> other.getImportJob(r -> r.jobId(ids.getFirst())), NotFoundException.class, 404);
    }

    @Test
    void aJobThatAStopInterruptedRunsAgainAtStart() throws Exception {
        // on a cluster too: only the node that ran the job runs it again, once
        CountDownLatch firstRequest = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.setExecutor(Executors.newCachedThreadPool());
        byte[] body = "one@example.com,BOUNCE\n".getBytes(StandardCharsets.UTF_8);
        files.createContext("/slow.csv", exchange -> {
            if (requests.incrementAndGet() == 1) {
                firstRequest.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        files.start();
        String id = importJob(
                SuppressionListImportAction.PUT,
                "http://127.0.0.1:" + files.getAddress().getPort() + "/slow.csv",
                DataFormat.CSV);
        assertThat(firstRequest.await(20, TimeUnit.SECONDS)).isTrue();

        server.stop();
        release.countDown();
        server.restart();
        ses = server.ses(account);

        GetImportJobResponse job = awaitFinished(id);
        assertThat(job.jobStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(requests.get()).isEqualTo(2);
        assertThat(listed()).containsExactly("one@example.com BOUNCE");
    }

    private String importJob(SuppressionListImportAction action, String url, DataFormat format) {
        return ses.createImportJob(r -> r.importDestination(
                                d -> d.suppressionListDestination(s -> s.suppressionListImportAction(action)))
                        .importDataSource(s -> s.s3Url(url).dataFormat(format)))
                .jobId();
    }

    private GetImportJobResponse awaitFinished(String jobId) {
        return await().atMost(WAIT)
                .until(
                        () -> ses.getImportJob(r -> r.jobId(jobId)),
                        j -> j.jobStatus() == JobStatus.COMPLETED || j.jobStatus() == JobStatus.FAILED);
    }

    private List<String> listed() {
        return ses.listSuppressedDestinations(r -> r.pageSize(100)).suppressedDestinationSummaries().stream()
                .map(SuppressedDestinationSummary::emailAddress)
                .map(a -> a + " "
                        + ses.getSuppressedDestination(r -> r.emailAddress(a))
                                .suppressedDestination()
                                .reason())
                .toList();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
