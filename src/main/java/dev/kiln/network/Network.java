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
    Instant updatedAt,
    String dnsDomain,
    boolean isDefault) {

  /** A network without DNS domain that is not the default external network. */
  public Network(
      String id, String projectId, String name, String description, boolean adminStateUp, boolean shared,
      boolean external, int mtu, boolean portSecurityEnabled, long revision, Instant createdAt, Instant updatedAt) {
    this(id, projectId, name, description, adminStateUp, shared, external, mtu, portSecurityEnabled, revision,
        createdAt, updatedAt, "", false);
  }

  /** Kiln's networks are always usable: there is no data plane to fail. */
  public String status() {
    return "ACTIVE";
  }
}
