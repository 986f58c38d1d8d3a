-- Messages sent per IP per warm-up day window (for daily caps across restarts).
CREATE TABLE ip_volume (
    address           VARCHAR(15)  NOT NULL,
    window_start_ms   BIGINT       NOT NULL,
    sent              BIGINT       NOT NULL,
    PRIMARY KEY (address, window_start_ms)
);
