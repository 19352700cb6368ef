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
    Instant updatedAt,
    List<AddressPair> allowedAddressPairs,
    List<DhcpOption> extraDhcpOpts,
    String dnsName) {

  public Port {
    fixedIps = List.copyOf(fixedIps);
    securityGroups = List.copyOf(securityGroups);
    allowedAddressPairs = List.copyOf(allowedAddressPairs);
    extraDhcpOpts = List.copyOf(extraDhcpOpts);
  }

  /** This port with these addresses. */
  public Port withFixedIps(List<FixedIp> addresses) {
    return new Port(id, projectId, networkId, name, description, macAddress, adminStateUp, status, deviceId,
        deviceOwner, portSecurityEnabled, vnicType, profile, addresses, securityGroups, activeBinding, revision,
        createdAt, updatedAt, allowedAddressPairs, extraDhcpOpts, dnsName);
  }

  /** A port without extra DHCP options or DNS name (those are stored apart, as address pairs are). */
  public Port(
      String id, String projectId, String networkId, String name, String description, String macAddress,
      boolean adminStateUp, String status, String deviceId, String deviceOwner, boolean portSecurityEnabled,
      String vnicType, String profile, List<FixedIp> fixedIps, List<String> securityGroups, PortBinding activeBinding,
      long revision, Instant createdAt, Instant updatedAt, List<AddressPair> allowedAddressPairs) {
    this(id, projectId, networkId, name, description, macAddress, adminStateUp, status, deviceId, deviceOwner,
        portSecurityEnabled, vnicType, profile, fixedIps, securityGroups, activeBinding, revision, createdAt, updatedAt,
        allowedAddressPairs, List.of(), "");
  }

  /** An extra DHCP option (extra_dhcp_opt) the port's DHCP server hands out. */
  public record DhcpOption(String name, String value, int ipVersion) {}

  /**
   * A port as changes of its device, binding or fields see it; its allowed address pairs are
   * stored apart and are not part of such a change.
   */
  public Port(
      String id, String projectId, String networkId, String name, String description, String macAddress,
      boolean adminStateUp, String status, String deviceId, String deviceOwner, boolean portSecurityEnabled,
      String vnicType, String profile, List<FixedIp> fixedIps, List<String> securityGroups, PortBinding activeBinding,
      long revision, Instant createdAt, Instant updatedAt) {
    this(id, projectId, networkId, name, description, macAddress, adminStateUp, status, deviceId, deviceOwner,
        portSecurityEnabled, vnicType, profile, fixedIps, securityGroups, activeBinding, revision, createdAt, updatedAt,
        List.of());
  }

  /** An address (or CIDR) another MAC may send from on this port (allowed-address-pairs). */
  public record AddressPair(String ipAddress, String macAddress) {}

  /** An address of the port on one of its network's subnets. */
  public record FixedIp(String subnetId, String ipAddress) {}

  /** Whether Compute plugged the port into an instance ({@code device_owner compute:<az>}). */
  public boolean isComputePort() {
    return deviceOwner.startsWith("compute:");
  }
}
