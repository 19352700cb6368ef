package dev.kiln.network;

/**
 * The segment a network is on (Neutron's provider attributes): its type, the physical network
 * for flat and VLAN segments, and the VLAN id or tunnel id. Kiln's data plane is simulated, so
 * the segment only decides what admins see and which ids are taken.
 *
 * @param physicalNetwork null for tunnel and local segments
 * @param segmentationId null for flat and local segments (and, in a request, "pick one")
 */
public record NetworkSegment(String networkType, String physicalNetwork, Long segmentationId) {
  /** What a network made without provider attributes is on: a VXLAN tunnel, as ML2/OVS's tenant networks. */
  public static final String DEFAULT_TYPE = "vxlan";
}
