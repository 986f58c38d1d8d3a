package io.poolmta.store;

import io.poolmta.suppression.ImportJob;
import io.poolmta.suppression.SuppressedDestination;
import io.poolmta.suppression.SuppressionReason;
import io.poolmta.suppression.SuppressionStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Suppression lists, accounts' suppressed reasons and import jobs in SQL. Listing pages by address
 * in SQL; the whole-list scan reads in key order, {@value #SCAN_CHUNK} rows at a time, so a list of
 * millions never sits in memory as rows.
 */
public final class JdbcSuppressionStore implements SuppressionStore {
    private static final int SCAN_CHUNK = 10_000;
    private static final int MAX_MESSAGE = 4096;

    private final Jdbc jdbc;

    public JdbcSuppressionStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void put(SuppressedDestination d) {
        jdbc.update(
                jdbc.dialect()
                        .upsert(
                                "suppressed_destinations",
                                List.of("account_id", "email_address"),
                                List.of(
                                        "account_id",
                                        "email_address",
                                        "reason",
                                        "last_update_ms",
                                        "message_id",
                                        "feedback_id")),
                d.accountId(),
                d.emailAddress(),
                d.reason().name(),
                d.lastUpdateTime().toEpochMilli(),
                d.messageId().orElse(null),
                d.feedbackId().orElse(null));
    }

    @Override
    public Optional<SuppressedDestination> get(String accountId, String emailAddress) {
        return jdbc.queryOne(
                "SELECT * FROM suppressed_destinations WHERE account_id = ? AND email_address = ?",
                JdbcSuppressionStore::destination,
                accountId,
                emailAddress);
    }

    @Override
    public boolean delete(String accountId, String emailAddress) {
        return jdbc.update(
                        "DELETE FROM suppressed_destinations WHERE account_id = ? AND email_address = ?",
                        accountId,
                        emailAddress)
                > 0;
    }

    @Override
    public List<SuppressedDestination> list(
            String accountId,
            Set<SuppressionReason> reasons,
            Optional<Instant> start,
            Optional<Instant> end,
            Optional<String> after,
            int limit) {
        StringBuilder sql =
                new StringBuilder("SELECT * FROM suppressed_destinations WHERE account_id = ? AND email_address > ?");
        List<Object> params = new ArrayList<>(List.of(accountId, after.orElse("")));
        sql.append(" AND reason IN (");
        List<SuppressionReason> wanted = List.copyOf(reasons);
        for (int i = 0; i < wanted.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            params.add(wanted.get(i).name());
        }
        sql.append(")");
        start.ifPresent(s -> {
            sql.append(" AND last_update_ms >= ?");
            params.add(s.toEpochMilli());
        });
        end.ifPresent(e -> {
            sql.append(" AND last_update_ms < ?");
            params.add(e.toEpochMilli());
        });
        sql.append(" ORDER BY email_address LIMIT ?");
        params.add(limit);
        return jdbc.query(sql.toString(), JdbcSuppressionStore::destination, params.toArray());
    }

    @Override
    public void scan(EntryVisitor visitor) {
        String lastAccount = "";
        String lastAddress = "";
        while (true) {
            List<String[]> rows = jdbc.query(
                    "SELECT account_id, email_address, reason FROM suppressed_destinations"
                            + " WHERE (account_id, email_address) > (?, ?) ORDER BY account_id, email_address LIMIT ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                    lastAccount,
                    lastAddress,
                    SCAN_CHUNK);
            for (String[] row : rows) {
                visitor.visit(row[0], row[1], SuppressionReason.valueOf(row[2]));
            }
            if (rows.size() < SCAN_CHUNK) {
                return;
            }
            lastAccount = rows.getLast()[0];
            lastAddress = rows.getLast()[1];
        }
    }

    @Override
    public void scanUpdatedSince(long sinceMs, EntryVisitor visitor) {
        String lastAccount = "";
        String lastAddress = "";
        while (true) {
            List<String[]> rows = jdbc.query(
                    "SELECT account_id, email_address, reason FROM suppressed_destinations WHERE last_update_ms >= ?"
                            + " AND (account_id, email_address) > (?, ?) ORDER BY account_id, email_address LIMIT ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                    sinceMs,
                    lastAccount,
                    lastAddress,
                    SCAN_CHUNK);
            for (String[] row : rows) {
                visitor.visit(row[0], row[1], SuppressionReason.valueOf(row[2]));
            }
            if (rows.size() < SCAN_CHUNK) {
                return;
            }
            lastAccount = rows.getLast()[0];
            lastAddress = rows.getLast()[1];
        }
    }

    @Override
    public Optional<Set<SuppressionReason>> accountReasons(String accountId) {
        return jdbc.queryOne(
                "SELECT suppressed_reasons FROM account_suppression WHERE account_id = ?",
                rs -> SuppressionReason.parseSet(rs.getString(1)),
                accountId);
    }

    @Override
    public void putAccountReasons(String accountId, Set<SuppressionReason> reasons) {
        jdbc.update(
                jdbc.dialect()
                        .upsert(
                                "account_suppression",
                                List.of("account_id"),
                                List.of("account_id", "suppressed_reasons")),
                accountId,
                SuppressionReason.format(reasons));
    }

    @Override
    public void insertJob(ImportJob job, String runBy) {
        jdbc.update(
                "INSERT INTO suppression_import_jobs (job_id, account_id, import_action, source, data_format,"
                        + " status, created_at_ms, completed_at_ms, processed_records, failed_records, error_message,"
                        + " run_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                job.jobId(),
                job.accountId(),
                job.action().name(),
                job.source(),
                job.format().name(),
                job.status().name(),
                job.createdAt().toEpochMilli(),
                job.completedAt().map(Instant::toEpochMilli).orElse(null),
                job.processedRecords(),
                job.failedRecords(),
                job.errorMessage().map(JdbcSuppressionStore::cut).orElse(null),
                runBy);
    }

    @Override
    public void updateJob(ImportJob job) {
        jdbc.update(
                "UPDATE suppression_import_jobs SET status = ?, completed_at_ms = ?, processed_records = ?,"
                        + " failed_records = ?, error_message = ? WHERE job_id = ?",
                job.status().name(),
                job.completedAt().map(Instant::toEpochMilli).orElse(null),
                job.processedRecords(),
                job.failedRecords(),
                job.errorMessage().map(JdbcSuppressionStore::cut).orElse(null),
                job.jobId());
    }

    @Override
    public Optional<ImportJob> job(String accountId, String jobId) {
        return jdbc.queryOne(
                "SELECT * FROM suppression_import_jobs WHERE account_id = ? AND job_id = ?",
                JdbcSuppressionStore::job,
                accountId,
                jobId);
    }

    @Override
    public List<ImportJob> jobs(String accountId) {
        return jdbc.query(
                "SELECT * FROM suppression_import_jobs WHERE account_id = ? ORDER BY created_at_ms, job_id",
                JdbcSuppressionStore::job,
                accountId);
    }

    @Override
    public List<RunningJob> unfinishedJobs() {
        return jdbc.query(
                "SELECT * FROM suppression_import_jobs WHERE status IN ('CREATED', 'PROCESSING')"
                        + " ORDER BY created_at_ms, job_id",
                rs -> new RunningJob(job(rs), rs.getString("run_by")));
    }

    @Override
    public boolean takeOver(String jobId, String from, String to) {
        return jdbc.update(
                        "UPDATE suppression_import_jobs SET run_by = ? WHERE job_id = ? AND run_by = ?"
                                + " AND status IN ('CREATED', 'PROCESSING')",
                        to,
                        jobId,
                        from)
                == 1;
    }

    private static String cut(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private static SuppressedDestination destination(ResultSet rs) throws SQLException {
        return new SuppressedDestination(
                rs.getString("account_id"),
                rs.getString("email_address"),
                SuppressionReason.valueOf(rs.getString("reason")),
                Instant.ofEpochMilli(rs.getLong("last_update_ms")),
                Jdbc.optionalString(rs, "message_id"),
                Jdbc.optionalString(rs, "feedback_id"));
    }

    private static ImportJob job(ResultSet rs) throws SQLException {
        return new ImportJob(
                rs.getString("account_id"),
                rs.getString("job_id"),
                ImportJob.Action.valueOf(rs.getString("import_action")),
                rs.getString("source"),
                ImportJob.Format.valueOf(rs.getString("data_format")),
                ImportJob.Status.valueOf(rs.getString("status")),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")),
                Jdbc.optionalLong(rs, "completed_at_ms").map(Instant::ofEpochMilli),
                rs.getLong("processed_records"),
                rs.getLong("failed_records"),
                Jdbc.optionalString(rs, "error_message"));
    }
}
