package dev.kiln.network;

/**
 * Neutron's Nova notifier: what Networking tells Compute about the ports of its servers, by
 * Nova's external event names, with the port id as the tag. Only ports whose device is a Compute
 * server ({@code device_owner} {@code compute:...}) are told about. Compute plugs its receiver in
 * with {@link Ports#deviceEvents(DeviceEvents)} once it exists; until then nothing is sent.
 */
@FunctionalInterface
public interface DeviceEvents {
  DeviceEvents NONE = (serverId, name, portId) -> {};

  /** The port became ACTIVE on its server. */
  String VIF_PLUGGED = "network-vif-plugged";
  /** The port left ACTIVE (unplugged or unbound) while serving the server. */
  String VIF_UNPLUGGED = "network-vif-unplugged";
  /** The port was deleted while serving the server. */
  String VIF_DELETED = "network-vif-deleted";

  /**
   * Tells Compute about a port of server {@code serverId}. Called after the change is committed;
   * a receiver that fails must not undo it.
   */
  void send(String serverId, String name, String portId);

  /** Whether a port's device is a Compute server, the only devices Nova hears about. */
  static boolean isComputeDevice(String deviceOwner, String deviceId) {
    return deviceOwner != null && deviceOwner.startsWith("compute:") && deviceId != null && !deviceId.isEmpty();
  }
}
