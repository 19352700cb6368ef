-- Provider attributes of networks (Neutron's provider extension): the segment each network is
-- on. Owned by dev.kiln.network. physical_network is '' for segments without one (tunnels), so
-- that the unique constraint also covers them; a flat or local segment has no segmentation_id.
CREATE TABLE network_segment (
  network_id VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES network_network (id) ON DELETE CASCADE,
  network_type VARCHAR(16) NOT NULL,
  physical_network VARCHAR(64) NOT NULL DEFAULT '',
  segmentation_id BIGINT,
  CONSTRAINT network_segment_unique UNIQUE (network_type, physical_network, segmentation_id)
);

-- One row that segment allocations lock, so two creates never pick the same free id.
CREATE TABLE network_segment_lock (
  id INT NOT NULL PRIMARY KEY
);
INSERT INTO network_segment_lock (id) VALUES (1);

-- Networks made before: tenant networks on VXLAN, numbered in the order they were made.
INSERT INTO network_segment (network_id, network_type, physical_network, segmentation_id)
  SELECT id, 'vxlan', '', ROW_NUMBER() OVER (ORDER BY created_at, id) FROM network_network;
