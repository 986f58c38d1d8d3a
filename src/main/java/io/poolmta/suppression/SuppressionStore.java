package io.poolmta.suppression;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where suppression lists, accounts' suppressed reasons and import jobs are kept. */
public interface SuppressionStore {
    /** One row of the whole list, as the index is built from it. */
    @FunctionalInterface
    interface EntryVisitor {
        void visit(String accountId, String emailAddress, SuppressionReason reason);
    }

    /** Adds the address, or replaces its entry. */
    void put(SuppressedDestination destination);

    Optional<SuppressedDestination> get(String accountId, String emailAddress);

    /** Whether there was an entry to remove. */
    boolean delete(String accountId, String emailAddress);

    /**
     * The account's entries with one of {@code reasons}, updated at or after {@code start} and
     * before {@code end} (when given), ordered by address, after {@code after}, at most {@code limit}.
     */
    List<SuppressedDestination> list(
            String accountId,
            Set<SuppressionReason> reasons,
            Optional<Instant> start,
            Optional<Instant> end,
            Optional<String> after,
            int limit);

    /** Every entry of every account. */
    void scan(EntryVisitor visitor);

    /** Every entry put at or after {@code sinceMs} (its last update time), and perhaps others. */
    default void scanUpdatedSince(long sinceMs, EntryVisitor visitor) {
        scan(visitor);
    }

    /** The reasons the account suppresses for; empty when it never set them (the default applies). */
    Optional<Set<SuppressionReason>> accountReasons(String accountId);

    void putAccountReasons(String accountId, Set<SuppressionReason> reasons);

    /** Stores a new job that node {@code runBy} runs. */
    void insertJob(ImportJob job, String runBy);

    void updateJob(ImportJob job);

    Optional<ImportJob> job(String accountId, String jobId);

    /** The account's jobs, oldest first. */
    List<ImportJob> jobs(String accountId);

    /** Jobs of every account that are CREATED or PROCESSING, oldest first, with the node that runs each. */
    List<RunningJob> unfinishedJobs();

    /**
     * Makes {@code to} the node that runs the job if {@code from} still is and the job is
     * unfinished; false when another node took it first or it finished.
     */
    boolean takeOver(String jobId, String from, String to);

    /** An unfinished job and the node that runs it ('' for none). */
    record RunningJob(ImportJob job, String runBy) {}
}
