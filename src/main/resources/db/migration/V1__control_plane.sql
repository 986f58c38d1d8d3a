-- Control plane: accounts, keys, sending IPs, pools, configuration sets, tags, static routes.
-- Instants are epoch milliseconds (BIGINT) so the same script runs on H2 and PostgreSQL.

CREATE TABLE accounts (
    id                VARCHAR(12)  PRIMARY KEY,
    account_name      VARCHAR(64)  NOT NULL UNIQUE,
    created_at_ms     BIGINT       NOT NULL,
    auto_warmup       BOOLEAN      NOT NULL,
    sending_enabled   BOOLEAN      NOT NULL,
    max_24_hour_send  BIGINT       NOT NULL,
    max_send_rate     DOUBLE PRECISION NOT NULL
);

CREATE TABLE access_keys (
    access_key_id     VARCHAR(64)  PRIMARY KEY,
    secret_key        VARCHAR(128) NOT NULL,
    account_id        VARCHAR(12)  NOT NULL REFERENCES accounts (id)
);

CREATE TABLE sending_ips (
    address           VARCHAR(15)  PRIMARY KEY,
    ip_role           VARCHAR(16)  NOT NULL,
    account_id        VARCHAR(12)  REFERENCES accounts (id),
    pool_name         VARCHAR(64),
    ehlo_name         VARCHAR(255) NOT NULL,
    warmup_complete   BOOLEAN      NOT NULL,
    warmup_anchor_ms  BIGINT       NOT NULL,
    added_at_ms       BIGINT       NOT NULL
);
CREATE INDEX sending_ips_by_account ON sending_ips (account_id, pool_name);

CREATE TABLE ip_pools (
    account_id        VARCHAR(12)  NOT NULL REFERENCES accounts (id),
    pool_name         VARCHAR(64)  NOT NULL,
    scaling_mode      VARCHAR(16)  NOT NULL,
    created_at_ms     BIGINT       NOT NULL,
    PRIMARY KEY (account_id, pool_name)
);

CREATE TABLE configuration_sets (
    account_id        VARCHAR(12)  NOT NULL REFERENCES accounts (id),
    set_name          VARCHAR(64)  NOT NULL,
    created_at_ms     BIGINT       NOT NULL,
    tls_policy        VARCHAR(16)  NOT NULL,
    sending_pool_name VARCHAR(64),
    max_delivery_seconds BIGINT,
    sending_enabled   BOOLEAN      NOT NULL,
    reputation_metrics_enabled BOOLEAN NOT NULL,
    last_fresh_start_ms BIGINT,
    stored_options    VARCHAR(1000000) NOT NULL,
    PRIMARY KEY (account_id, set_name)
);

CREATE TABLE resource_tags (
    account_id        VARCHAR(12)  NOT NULL,
    resource_type     VARCHAR(32)  NOT NULL,
    resource_name     VARCHAR(64)  NOT NULL,
    tag_key           VARCHAR(128) NOT NULL,
    tag_value         VARCHAR(256) NOT NULL,
    tag_order         BIGINT       NOT NULL,
    PRIMARY KEY (account_id, resource_type, resource_name, tag_key)
);

CREATE TABLE static_routes (
    route_domain      VARCHAR(253) PRIMARY KEY,
    next_host         VARCHAR(253) NOT NULL,
    next_port         INTEGER      NOT NULL
);
