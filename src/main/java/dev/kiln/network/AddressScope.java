package dev.kiln.network;

import java.time.Instant;

/** A Neutron address scope: subnet pools in one scope have addresses that never overlap. */
public record AddressScope(
    String id, String projectId, String name, int ipVersion, boolean shared, long revision, Instant createdAt,
    Instant updatedAt) {}
