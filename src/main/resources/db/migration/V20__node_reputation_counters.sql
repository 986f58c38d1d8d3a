-- Reputation counters per node: each node of a cluster writes only its own cells and reads the
-- cells the other nodes changed lately (updated_ms), so every node's counters are cluster-wide.
-- Rows kept from before have no node (''); the single node adopts them at its next start.
CREATE TABLE node_reputation_counter (
    node VARCHAR(255) NOT NULL,
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
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (node, granularity, bucket_start_ms, account_id, configuration_set, pool, ip, provider, identity)
);

CREATE INDEX node_reputation_counter_updated ON node_reputation_counter (updated_ms);

INSERT INTO node_reputation_counter (node, granularity, bucket_start_ms, account_id, configuration_set, pool, ip,
        provider, identity, sent, delivered, delayed, bounced_permanent, bounced_transient, complained, suppressed,
        updated_ms)
    SELECT '', granularity, bucket_start_ms, account_id, configuration_set, pool, ip, provider, identity, sent,
        delivered, delayed, bounced_permanent, bounced_transient, complained, suppressed, 0
    FROM reputation_counter;

DROP TABLE reputation_counter;
