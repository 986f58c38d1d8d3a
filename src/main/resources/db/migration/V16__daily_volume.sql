-- Recipients per UTC day, account, configuration set, pool, sending IP and mailbox provider, for the
-- shared-or-dedicated advisor (kept 35 days): sent (final outcome), bounced (permanent), complained.
CREATE TABLE daily_volume (
    epoch_day    BIGINT       NOT NULL,
    account_id   VARCHAR(12)  NOT NULL,
    set_name     VARCHAR(64)  NOT NULL,
    pool_name    VARCHAR(64)  NOT NULL,
    address      VARCHAR(15)  NOT NULL,
    provider     VARCHAR(64)  NOT NULL,
    sent         BIGINT       NOT NULL,
    bounced      BIGINT       NOT NULL,
    complained   BIGINT       NOT NULL,
    PRIMARY KEY (epoch_day, account_id, set_name, pool_name, address, provider)
);
