-- The nodes of a cluster sharing this database (one row on the embedded database): the addresses
-- each serves, when it started and its last heartbeat; link_address is where other nodes hand it
-- mail (NULL: none yet).
CREATE TABLE nodes (
    node_name       VARCHAR(64)   NOT NULL PRIMARY KEY,
    api_address     VARCHAR(300)  NOT NULL,
    smtp_address    VARCHAR(300)  NOT NULL,
    link_address    VARCHAR(300),
    started_at_ms   BIGINT        NOT NULL,
    heartbeat_ms    BIGINT        NOT NULL
);

-- The node that can bind each sending IP (NULL: registered before clusters, on the single node).
ALTER TABLE sending_ips ADD COLUMN node VARCHAR(64);
