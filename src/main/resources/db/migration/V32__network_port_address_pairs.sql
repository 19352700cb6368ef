-- A port's allowed address pairs (allowed-address-pairs), one "address mac" pair a line. Addresses
-- and MACs are checked before they are stored and contain neither spaces nor newlines.
ALTER TABLE network_port ADD COLUMN allowed_address_pairs VARCHAR(4000) NOT NULL DEFAULT '';
