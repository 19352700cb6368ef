package dev.kiln.network;

import java.time.Instant;

/** A Neutron network. */
public record Network(
    String id,
    String projectId,
    String name,
    String description,
    boolean adminStateUp,
    boolean shared,
    boolean external,
    int mtu,
    boolean portSecurityEnabled,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  /** Kiln's networks are always usable: there is no data plane to fail. */
  public String status() {
    return "ACTIVE";
  }
}
