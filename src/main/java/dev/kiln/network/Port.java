package dev.kiln.network;

import java.time.Instant;
import java.util.List;

/**
 * A Neutron port. Its {@code binding:*} attributes are those of its active binding, if it has
 * one; {@code vnicType} and {@code profile} are what the port asks for while it is unbound.
 */
public record Port(
    String id,
    String projectId,
    String networkId,
    String name,
    String description,
    String macAddress,
    boolean adminStateUp,
    String status,
    String deviceId,
    String deviceOwner,
    boolean portSecurityEnabled,
    String vnicType,
    String profile,
    List<FixedIp> fixedIps,
    List<String> securityGroups,
    PortBinding activeBinding,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  public Port {
    fixedIps = List.copyOf(fixedIps);
    securityGroups = List.copyOf(securityGroups);
  }

  /** An address of the port on one of its network's subnets. */
  public record FixedIp(String subnetId, String ipAddress) {}

  /** Whether Compute plugged the port into an instance ({@code device_owner compute:<az>}). */
  public boolean isComputePort() {
    return deviceOwner.startsWith("compute:");
  }
}
