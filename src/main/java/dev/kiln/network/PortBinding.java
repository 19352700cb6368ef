package dev.kiln.network;

/**
 * A port's binding to one compute host. A port has at most one ACTIVE binding (the host its
 * instance runs on) and any number of INACTIVE ones (hosts it is migrating to).
 *
 * @param profile the {@code binding:profile} JSON object, as text
 * @param vifDetails the {@code binding:vif_details} JSON object, as text
 */
public record PortBinding(
    String portId,
    String host,
    Status status,
    String vifType,
    String vnicType,
    String profile,
    String vifDetails) {

  /** Neutron's binding states. */
  public enum Status {
    ACTIVE,
    INACTIVE
  }

  /** What Kiln's simulated Open vSwitch agent reports for a bound port. */
  public static final String VIF_TYPE = "ovs";

  public static final String VIF_DETAILS =
      "{\"port_filter\": true, \"connectivity\": \"l2\", \"bridge_name\": \"br-int\","
          + " \"datapath_type\": \"system\", \"ovs_hybrid_plug\": false}";
}
