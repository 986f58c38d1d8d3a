-- Reputation counters: one row per cell (account, configuration set, pool, sending IP, mailbox
-- provider, From identity) per UTC hour ('H') or day ('D'); '' where a dimension does not apply.
CREATE TABLE reputation_counter (
    granularity CHAR(1) NOT NULL,
    bucket_start_ms BIGINT NOT NULL,
    account_id VARCHAR(12) NOT NULL,
    configuration_set VARCHAR(64) NOT NULL,
    pool VARCHAR(64) NOT NULL,
    ip VARCHAR(45) NOT NULL,
    provider VARCHAR(64) NOT NULL,
    identity VARCHAR(255) NOT NULL,
    sent BIGINT NOT NULL,
    delivered BIGINT NOT NULL,
    delayed BIGINT NOT NULL,
    bounced_permanent BIGINT NOT NULL,
    bounced_transient BIGINT NOT NULL,
    complained BIGINT NOT NULL,
    suppressed BIGINT NOT NULL,
    PRIMARY KEY (granularity, bucket_start_ms, account_id, configuration_set, pool, ip, provider, identity)
);

-- Enforcement per scope: kind ACCOUNT, CONFIGURATION_SET (name = the set) or SHARED_POOL.
CREATE TABLE reputation_enforcement (
    kind VARCHAR(20) NOT NULL,
    account_id VARCHAR(12) NOT NULL,
    name VARCHAR(64) NOT NULL,
    shutdown_since_ms BIGINT,
    reason VARCHAR(1000) NOT NULL,
    fresh_start_ms BIGINT,
    PRIMARY KEY (kind, account_id, name)
);
