-- What Nova keeps per server beyond its state: the access addresses a user sets (accessIPv4,
-- accessIPv6; Nova stores them, never uses them) and how the root disk is partitioned
-- (OS-DCF:diskConfig, AUTO or MANUAL), given at create, rebuild or resize.
ALTER TABLE compute_server ADD COLUMN access_ip_v4 VARCHAR(64);
ALTER TABLE compute_server ADD COLUMN access_ip_v6 VARCHAR(64);
ALTER TABLE compute_server ADD COLUMN disk_config VARCHAR(8) NOT NULL DEFAULT 'MANUAL';
