-- Per-provider warm-up counts share the table, keyed "ADDRESS/PROVIDER".
ALTER TABLE ip_volume ALTER COLUMN address SET DATA TYPE VARCHAR(64);
