-- The rolling 24-hour counts per node: each node of a cluster writes only its own rows, and reads
-- the other nodes' rows to know the account's cluster-wide SentLast24Hours. Rows kept from before
-- have no node (''); the single node adopts them at its next start.
CREATE TABLE node_account_sends (
    node              VARCHAR(255) NOT NULL,
    account_id        VARCHAR(12)  NOT NULL,
    bucket_start_ms   BIGINT       NOT NULL,
    sent              BIGINT       NOT NULL,
    PRIMARY KEY (node, account_id, bucket_start_ms)
);

INSERT INTO node_account_sends (node, account_id, bucket_start_ms, sent)
    SELECT '', account_id, bucket_start_ms, sent FROM account_sends;

DROP TABLE account_sends;
