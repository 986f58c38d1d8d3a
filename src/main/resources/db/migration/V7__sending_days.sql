-- Sending-day counting: the end of the last day window judged for each IP (NULL: none yet).
ALTER TABLE sending_ips ADD COLUMN warmup_counted_through_ms BIGINT;
