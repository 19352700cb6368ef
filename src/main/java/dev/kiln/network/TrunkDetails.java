package dev.kiln.network;

import java.util.List;

/**
 * A parent port's view of its trunk (Neutron's {@code trunk-details} extension, shown as the
 * port's {@code trunk_details}): what a guest needs to set up its VLAN devices.
 */
public record TrunkDetails(String trunkId, List<Member> subPorts) {
  public TrunkDetails {
    subPorts = List.copyOf(subPorts);
  }

  /** A subport as the parent shows it, with its MAC address. */
  public record Member(String portId, String segmentationType, int segmentationId, String macAddress) {}
}
