-- The rolling 24-hour counts per node: each node of a cluster writes only its own rows, and reads
-- the rows the other nodes changed lately (updated_ms) to know the account's cluster-wide
-- SentLast24Hours. Rows kept from before have no node (''); the single node adopts them at its
-- next start.
CREATE TABLE node_account_sends (
    node              VARCHAR(255) NOT NULL,
    account_id        VARCHAR(12)  NOT NULL,
    bucket_start_ms   BIGINT       NOT NULL,
    sent              BIGINT       NOT NULL,
    updated_ms        BIGINT       NOT NULL,
    PRIMARY KEY (node, account_id, bucket_start_ms)
);

CREATE INDEX node_account_sends_updated ON node_account_sends (updated_ms);

INSERT INTO node_account_sends (node, account_id, bucket_start_ms, sent, updated_ms)
    SELECT '', account_id, bucket_start_ms, sent, 0 FROM account_sends;

DROP TABLE account_sends;
