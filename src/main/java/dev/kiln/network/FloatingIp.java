package dev.kiln.network;

import java.time.Instant;

/**
 * A Neutron floating IP: an address on an external network (held by a port Networking owns, device
 * owner {@code network:floatingip}), optionally mapped to a fixed address of a port on a network
 * that a router connects to that external network.
 *
 * @param portId the associated port, or null
 * @param fixedIpAddress the associated port's address the floating IP maps to, or null
 * @param routerId the router that does the mapping, or null
 */
public record FloatingIp(
    String id,
    String projectId,
    String floatingNetworkId,
    String floatingPortId,
    String floatingIpAddress,
    String portId,
    String fixedIpAddress,
    String routerId,
    String description,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  /** Device owner of the port that holds a floating IP's address. */
  public static final String PORT_OWNER = "network:floatingip";

  /** ACTIVE while associated with a port, DOWN otherwise (as Neutron's L3 agent reports it). */
  public String status() {
    return portId == null ? "DOWN" : "ACTIVE";
  }

  public boolean isAssociated() {
    return portId != null;
  }
}
