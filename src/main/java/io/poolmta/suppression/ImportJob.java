package io.poolmta.suppression;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bulk import into an account's suppression list (SES CreateImportJob): where the records come
 * from, what to do with them, and how far it got. {@code errorMessage} says why a job FAILED, or
 * which records failed in a COMPLETED one.
 */
public record ImportJob(
        String accountId,
        String jobId,
        Action action,
        String source,
        Format format,
        Status status,
        Instant createdAt,
        Optional<Instant> completedAt,
        long processedRecords,
        long failedRecords,
        Optional<String> errorMessage) {

    /** SES's SuppressionListImportAction. */
    public enum Action {
        PUT,
        DELETE
    }

    /** SES's DataFormat: CSV lines {@code address,REASON}, or JSON lines {@code {"emailAddress":…,"reason":…}}. */
    public enum Format {
        CSV,
        JSON
    }

    /** SES's JobStatus (PoolMTA never cancels a job). */
    public enum Status {
        CREATED,
        PROCESSING,
        COMPLETED,
        FAILED
    }

    public ImportJob {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(jobId);
        Objects.requireNonNull(action);
        Objects.requireNonNull(source);
        Objects.requireNonNull(format);
        Objects.requireNonNull(status);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(completedAt);
        Objects.requireNonNull(errorMessage);
    }

    public boolean finished() {
        return status == Status.COMPLETED || status == Status.FAILED;
    }

    public ImportJob processing() {
        return new ImportJob(
                accountId,
                jobId,
                action,
                source,
                format,
                Status.PROCESSING,
                createdAt,
                Optional.empty(),
                0,
                0,
                Optional.empty());
    }

    public ImportJob completed(Instant at, long processed, long failed, Optional<String> failures) {
        return new ImportJob(
                accountId,
                jobId,
                action,
                source,
                format,
                Status.COMPLETED,
                createdAt,
                Optional.of(at),
                processed,
                failed,
                failures);
    }

    public ImportJob failed(Instant at, long processed, long failed, String why) {
        return new ImportJob(
                accountId,
                jobId,
                action,
                source,
                format,
                Status.FAILED,
                createdAt,
                Optional.of(at),
                processed,
                failed,
                Optional.of(why));
    }
}
