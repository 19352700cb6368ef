-- Block Storage: Kiln keeps volume backups (V88), so os-services lists the service that takes
-- them, cinder-backup on host kiln, as Cinder does; an admin who disables it stops new backups.
INSERT INTO volume_service (binary_name, host, availability_zone, disabled, disabled_reason, frozen, updated_at)
VALUES ('cinder-backup', 'kiln', 'nova', FALSE, NULL, FALSE, CURRENT_TIMESTAMP);
