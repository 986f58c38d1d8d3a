-- A paused warm-up stands still from this instant (NULL: not paused).
ALTER TABLE sending_ips ADD COLUMN warmup_paused_at_ms BIGINT;
