package dev.kiln.network;

import java.time.Instant;
import java.util.List;

/**
 * A Neutron trunk: a parent port that carries its own network untagged and each subport's network
 * on a VLAN.
 *
 * @param status ACTIVE while the parent port is ACTIVE (plugged into a bound device), DOWN
 *     otherwise: what Neutron's trunk drivers report once the parent's device is wired
 */
public record Trunk(
    String id,
    String projectId,
    String name,
    String description,
    boolean adminStateUp,
    String portId,
    String status,
    List<SubPort> subPorts,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  public Trunk {
    subPorts = List.copyOf(subPorts);
  }

  /** The only segmentation type Kiln's (simulated) trunk driver offers, as ML2/OVS's does first. */
  public static final String VLAN = "vlan";

  /** The device owner Neutron gives a port while it is a subport. */
  public static final String SUBPORT_OWNER = "trunk:subport";

  /** A port of the trunk on one VLAN. */
  public record SubPort(String portId, String segmentationType, int segmentationId) {}
}
