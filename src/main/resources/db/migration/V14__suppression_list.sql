-- The account-level suppression list (SES PutSuppressedDestination and friends). Addresses are
-- stored lower-cased; last_update_ms is SES's LastUpdateTime, indexed for the date filters.
CREATE TABLE suppressed_destinations (
    account_id      VARCHAR(12)   NOT NULL,
    email_address   VARCHAR(320)  NOT NULL,
    reason          VARCHAR(16)   NOT NULL,
    last_update_ms  BIGINT        NOT NULL,
    message_id      VARCHAR(256),
    feedback_id     VARCHAR(256),
    PRIMARY KEY (account_id, email_address)
);
CREATE INDEX suppressed_destinations_by_time ON suppressed_destinations (account_id, last_update_ms);

-- An account's SuppressedReasons (PutAccountSuppressionAttributes); no row = SES's default, both.
CREATE TABLE account_suppression (
    account_id          VARCHAR(12)  NOT NULL PRIMARY KEY,
    suppressed_reasons  VARCHAR(32)  NOT NULL
);

-- Bulk imports into a suppression list (CreateImportJob).
CREATE TABLE suppression_import_jobs (
    job_id            VARCHAR(36)    NOT NULL PRIMARY KEY,
    account_id        VARCHAR(12)    NOT NULL,
    import_action     VARCHAR(8)     NOT NULL,
    source            VARCHAR(4096)  NOT NULL,
    data_format       VARCHAR(8)     NOT NULL,
    status            VARCHAR(16)    NOT NULL,
    created_at_ms     BIGINT         NOT NULL,
    completed_at_ms   BIGINT,
    processed_records BIGINT         NOT NULL,
    failed_records    BIGINT         NOT NULL,
    error_message     VARCHAR(4096)
);
CREATE INDEX suppression_import_jobs_by_account ON suppression_import_jobs (account_id, created_at_ms);
