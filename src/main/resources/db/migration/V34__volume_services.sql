-- Block Storage: the state of Cinder's services as os-services shows and changes it (enabled or
-- disabled with a reason, frozen). Kiln runs one scheduler and one simulated backend in-process,
-- so the rows are fixed; only their state changes. Owned by dev.kiln.volume.
CREATE TABLE volume_service (
  binary_name       VARCHAR(255) NOT NULL,
  host              VARCHAR(255) NOT NULL,
  availability_zone VARCHAR(255) NOT NULL,
  disabled          BOOLEAN NOT NULL,
  disabled_reason   VARCHAR(255),
  frozen            BOOLEAN NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (binary_name, host)
);

INSERT INTO volume_service (binary_name, host, availability_zone, disabled, disabled_reason, frozen, updated_at)
VALUES ('cinder-scheduler', 'kiln', 'nova', FALSE, NULL, FALSE, CURRENT_TIMESTAMP);
INSERT INTO volume_service (binary_name, host, availability_zone, disabled, disabled_reason, frozen, updated_at)
VALUES ('cinder-volume', 'kiln@simulated', 'nova', FALSE, NULL, FALSE, CURRENT_TIMESTAMP);
