-- Private DKIM keys of a cluster whose nodes share this database (PostgreSQL), so that every node
-- signs every account's mail. Each key is sealed (AES-256-GCM, a fresh nonce per key, the account,
-- domain and selector as associated data) under a key every node derives from the cluster key in
-- its data directory (tls/cluster.p12), which never enters the database: a dump of it carries only
-- sealed bytes. A single node on the embedded H2 database leaves both tables empty: its keys stay
-- files in its data directory (dkim/ACCOUNT/DOMAIN/SELECTOR.pk8). Binary values are base64.
CREATE TABLE dkim_private_keys (
    account_id     VARCHAR(12)   NOT NULL,
    identity_name  VARCHAR(320)  NOT NULL,
    selector       VARCHAR(63)   NOT NULL,
    nonce          VARCHAR(32)   NOT NULL,
    sealed_key     VARCHAR(8192) NOT NULL,
    PRIMARY KEY (account_id, identity_name, selector)
);

-- One row, written by the first node that seals a key: a constant sealed under the same
-- key-encryption key, which every node opens at start to prove that its cluster key is the one the
-- keys were sealed under (a node with another key refuses to start); cluster_key is the public
-- fingerprint of that cluster key, for the error message.
CREATE TABLE dkim_key_check (
    id             INT           PRIMARY KEY,
    cluster_key    VARCHAR(64)   NOT NULL,
    nonce          VARCHAR(32)   NOT NULL,
    sealed_check   VARCHAR(256)  NOT NULL,
    made_by        VARCHAR(255)  NOT NULL,
    made_ms        BIGINT        NOT NULL
);
