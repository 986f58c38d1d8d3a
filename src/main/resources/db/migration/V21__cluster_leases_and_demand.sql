-- Work that one node does for the whole cluster (the managed-pool scaling pass) is done by the
-- node holding its lease: a row per task, taken over when its holder lets it expire.
CREATE TABLE cluster_leases (
    task         VARCHAR(64)  PRIMARY KEY,
    holder       VARCHAR(255) NOT NULL,
    expires_ms   BIGINT       NOT NULL
);

-- Unmet demand of managed pools that nodes without the scaling lease hand to the node with it.
CREATE TABLE managed_demand (
    account_id   VARCHAR(12)  NOT NULL,
    pool_name    VARCHAR(64)  NOT NULL,
    provider     VARCHAR(64)  NOT NULL,
    misses       BIGINT       NOT NULL,
    PRIMARY KEY (account_id, pool_name, provider)
);
