-- Managed pools: each IP's warm-up towards each mailbox provider (day level, today's count, last active day).
CREATE TABLE ip_provider_warmup (
    address          VARCHAR(15)  NOT NULL,
    provider         VARCHAR(64)  NOT NULL,
    day_level        INT          NOT NULL,
    epoch_day        BIGINT       NOT NULL,
    sent             BIGINT       NOT NULL,
    last_active_day  BIGINT       NOT NULL,
    PRIMARY KEY (address, provider)
);
