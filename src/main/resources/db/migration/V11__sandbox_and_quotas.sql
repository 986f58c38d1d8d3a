-- Sandbox and quotas. Accounts that existed before keep production access (and their quota);
-- new accounts are created in the sandbox by the application.
ALTER TABLE accounts ADD COLUMN production_access BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE accounts ADD COLUMN paused_by_operator BOOLEAN DEFAULT FALSE NOT NULL;

-- What an account said about its sending (PutAccountDetails) and the state of its request.
CREATE TABLE account_details (
    account_id        VARCHAR(12)   PRIMARY KEY REFERENCES accounts (id),
    mail_type         VARCHAR(16)   NOT NULL,
    website_url       VARCHAR(1000) NOT NULL,
    contact_language  VARCHAR(2),
    use_case          VARCHAR(5000),
    contacts          VARCHAR(1024) NOT NULL,
    review_status     VARCHAR(16),
    submitted_at_ms   BIGINT        NOT NULL
);

-- Recipients accepted per account per time bucket: the rolling 24-hour count (SentLast24Hours).
CREATE TABLE account_sends (
    account_id        VARCHAR(12)  NOT NULL,
    bucket_start_ms   BIGINT       NOT NULL,
    sent              BIGINT       NOT NULL,
    PRIMARY KEY (account_id, bucket_start_ms)
);
