package io.poolmta.suppression;

import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk imports into suppression lists (SES CreateImportJob / GetImportJob / ListImportJobs). A job
 * is stored CREATED, then one background thread runs the jobs in order: PROCESSING while it reads
 * the data source and applies its records in batches of {@value #BATCH}, then COMPLETED (with the
 * count of records that were not valid and why, for the first few), or FAILED when the source
 * cannot be read or holds no valid record. A stop leaves the running job PROCESSING, and jobs left
 * so run again at start (a PUT or a DELETE applied twice has the effect of one). At most
 * {@value #MAX_UNFINISHED} unfinished jobs per account (LIMIT_EXCEEDED beyond).
 *
 * <p>Each job is run by one node of a cluster, the one it was created at; at start a node runs
 * again its own unfinished jobs and takes over (a conditional update, so one node wins) those of
 * nodes that are not up, but never a job that a live node is running.
 */
public final class SuppressionImports implements AutoCloseable {
    static final int BATCH = 1000;
    static final int MAX_UNFINISHED = 10;
    static final int MAX_SOURCE_LENGTH = 2048;
    private static final int REPORTED_FAILURES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionImports.class);

    private final SuppressionList list;
    private final SuppressionStore store;
    private final Transactions tx;
    private final ImportSource source;
    private final Function<String, Optional<String>> urlRefusal;
    private final Clock clock;
    private final String node;
    private final Predicate<String> nodeUp;
    private volatile boolean closing;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("suppression-import").daemon().unstarted(r));

    /**
     * @param urlRefusal why an http(s) source may not be fetched (an internal address), if so
     * @param node this node's name, which runs the jobs created here
     * @param nodeUp whether the named node is up (another node's jobs are left to it)
     */
    public SuppressionImports(
            SuppressionList list,
            SuppressionStore store,
            Transactions tx,
            ImportSource source,
            Function<String, Optional<String>> urlRefusal,
            Clock clock,
            String node,
            Predicate<String> nodeUp) {
        this.list = list;
        this.store = store;
        this.tx = tx;
        this.source = source;
        this.urlRefusal = urlRefusal;
        this.clock = clock;
        this.node = node;
        this.nodeUp = nodeUp;
    }

    /** Runs again the jobs a stop interrupted: this node's, and those of nodes that are down. */
    public void resume() {
        for (SuppressionStore.RunningJob unfinished : store.unfinishedJobs()) {
            ImportJob job = unfinished.job();
            String runBy = unfinished.runBy();
            if (!runBy.equals(node)) {
                if (nodeUp.test(runBy) || !store.takeOver(job.jobId(), runBy, node)) {
                    continue; // a live node runs it, or another node took it over first
                }
                LOG.info(
                        "import job {} of account {} was run by node '{}', which is down; taking it over",
                        job.jobId(),
                        job.accountId(),
                        runBy);
            }
            LOG.info("import job {} of account {} was interrupted; running it again", job.jobId(), job.accountId());
            runner.execute(() -> run(job));
        }
    }

    public String create(String accountId, ImportJob.Action action, String location, ImportJob.Format format) {
        if (location.length() > MAX_SOURCE_LENGTH) {
            throw PoolMtaException.badRequest(
                    "ImportDataSource.S3Url is longer than " + MAX_SOURCE_LENGTH + " characters.");
        }
        if (location.isBlank() || !ImportSource.supported(location)) {
            throw PoolMtaException.badRequest("ImportDataSource.S3Url must be an absolute file path or a file:,"
                    + " http: or https: URL that PoolMTA can read; s3:// URLs are not supported.");
        }
        if (ImportSource.isHttp(location)) {
            urlRefusal.apply(location).ifPresent(why -> {
                throw PoolMtaException.badRequest("ImportDataSource.S3Url is refused: " + why);
            });
        }
        ImportJob job = tx.write(() -> {
            long unfinished =
                    store.jobs(accountId).stream().filter(j -> !j.finished()).count();
            if (unfinished >= MAX_UNFINISHED) {
                throw PoolMtaException.limitExceeded("The account has " + unfinished
                        + " import jobs that have not finished; wait for them before creating another.");
            }
            ImportJob created = new ImportJob(
                    accountId,
                    UUID.randomUUID().toString(),
                    action,
                    location,
                    format,
                    ImportJob.Status.CREATED,
                    clock.instant(),
                    Optional.empty(),
                    0,
                    0,
                    Optional.empty());
            store.insertJob(created, node);
            return created;
        });
        runner.execute(() -> run(job));
        return job.jobId();
    }

    public ImportJob get(String accountId, String jobId) {
        return store.job(accountId, jobId)
                .orElseThrow(() -> PoolMtaException.notFound("Import job " + jobId + " does not exist."));
    }

    /** The account's jobs, oldest first. */
    public Page<ImportJob> list(String accountId, PageRequest page) {
        List<ImportJob> jobs = new ArrayList<>(store.jobs(accountId));
        jobs.sort(Comparator.comparing(SuppressionImports::key));
        return page.slice(jobs, SuppressionImports::key);
    }

    private static String key(ImportJob job) {
        return String.format("%015d/%s", job.createdAt().toEpochMilli(), job.jobId());
    }

    private void run(ImportJob created) {
        ImportJob job = created.processing();
        tx.run(() -> store.updateJob(job));
        long processed = 0;
        long failed = 0;
        List<String> failures = new ArrayList<>();
        boolean put = job.action() == ImportJob.Action.PUT;
        try (InputStream in = source.open(job.source());
                ImportRecords records = new ImportRecords(in, job.format(), put)) {
            List<ImportRecords.Good> batch = new ArrayList<>(BATCH);
            for (Optional<ImportRecords.Record> next = records.next(); next.isPresent(); next = records.next()) {
                if (closing) {
                    throw new IOException("stopped by the shutdown");
                }
                processed++;
                switch (next.get()) {
                    case ImportRecords.Good good -> {
                        batch.add(good);
                        if (batch.size() == BATCH) {
                            apply(job, batch);
                            batch.clear();
                        }
                    }
                    case ImportRecords.Bad bad -> {
                        failed++;
                        if (failures.size() < REPORTED_FAILURES) {
                            failures.add("line " + bad.line() + ": " + bad.why());
                        }
                    }
                }
            }
            apply(job, batch);
        } catch (IOException | RuntimeException e) {
            if (closing) {
                // stopped, not failed: the job stays PROCESSING and runs again at the next start
                LOG.info("import job {} of account {} was stopped by the shutdown", job.jobId(), job.accountId());
                return;
            }
            LOG.warn("import job {} of account {} failed", job.jobId(), job.accountId(), e);
            finish(job.failed(clock.instant(), processed, failed, "could not read the data source: " + describe(e)));
            return;
        }
        Instant now = clock.instant();
        String summary = failed == 0
                ? ""
                : failed + " of " + processed + " records were not imported: " + String.join("; ", failures)
                        + (failed > failures.size() ? "; …" : "");
        if (processed == 0) {
            finish(job.failed(now, 0, 0, "the data source holds no records"));
        } else if (failed == processed) {
            finish(job.failed(now, processed, failed, "no record could be imported: " + summary));
        } else {
            finish(job.completed(now, processed, failed, failed == 0 ? Optional.empty() : Optional.of(summary)));
        }
    }

    private void apply(ImportJob job, List<ImportRecords.Good> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (job.action() == ImportJob.Action.DELETE) {
            list.deleteAll(
                    job.accountId(),
                    batch.stream().map(ImportRecords.Good::emailAddress).toList());
            return;
        }
        Instant now = clock.instant();
        list.putAll(batch.stream()
                .map(g -> new SuppressedDestination(
                        job.accountId(),
                        g.emailAddress(),
                        g.reason().orElseThrow(),
                        now,
                        Optional.empty(),
                        Optional.empty()))
                .toList());
    }

    private void finish(ImportJob job) {
        tx.run(() -> store.updateJob(job));
        LOG.info(
                "import job {} of account {}: {} ({} records, {} failed)",
                job.jobId(),
                job.accountId(),
                job.status(),
                job.processedRecords(),
                job.failedRecords());
    }

    private static String describe(Exception e) {
        return switch (e) {
            case NoSuchFileException ignored -> "no such file";
            case AccessDeniedException ignored -> "permission denied";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /**
     * Stops the running job at its next record (it runs again at the next start). The job's thread
     * is interrupted only if it has not stopped within 2 s (a source that sends nothing), so an
     * interrupt never lands in a database write when it can be helped.
     */
    @Override
    public void close() {
        closing = true;
        runner.shutdown();
        try {
            if (!runner.awaitTermination(2, TimeUnit.SECONDS)) {
                runner.shutdownNow();
                if (!runner.awaitTermination(3, TimeUnit.SECONDS)) {
                    LOG.warn("an import job did not stop within 5 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
