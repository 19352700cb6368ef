package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.Network;
import dev.kiln.network.Port;
import dev.kiln.network.Port.FixedIp;
import dev.kiln.network.PortBinding;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The networking tables. Only the network service uses this class; the caller decides the
 * transaction, and takes row locks ({@code lock*}) before changes that must not interleave.
 */
public final class NetworkStore {
  private static final String NETWORK_COLUMNS =
      "id, project_id, name, description, admin_state_up, shared, router_external, mtu,"
          + " port_security_enabled, revision_number, created_at, updated_at, dns_domain, is_default";
  private static final String PORT_COLUMNS =
      "id, project_id, network_id, name, description, mac_address, admin_state_up, status,"
          + " device_id, device_owner, port_security_enabled, vnic_type, binding_profile, allowed_address_pairs,"
          + " revision_number, created_at, updated_at, extra_dhcp_opts, dns_name";

  private final Sql sql;

  public NetworkStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Networks

  public void insertNetwork(Network n) {
    sql.update(
        "INSERT INTO network_network (" + NETWORK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        n.id(), n.projectId(), n.name(), n.description(), n.adminStateUp(), n.shared(), n.external(),
        n.mtu(), n.portSecurityEnabled(), n.revision(), n.createdAt(), n.updatedAt(), n.dnsDomain(), n.isDefault());
  }

  public Optional<Network> findNetwork(String id) {
    return sql.queryOne(
        "SELECT " + NETWORK_COLUMNS + " FROM network_network WHERE id = ?", NetworkStore::network, id);
  }

  /** Locks the network's row until the transaction ends; empty when there is no such network. */
  public Optional<Network> lockNetwork(String id) {
    return sql.queryOne(
        "SELECT " + NETWORK_COLUMNS + " FROM network_network WHERE id = ? FOR UPDATE",
        NetworkStore::network,
        id);
  }

  /** The networks with these ids that exist (at least one id), in no particular order. */
  public List<Network> networksByIds(Collection<String> ids) {
    Object[] args = new LinkedHashSet<>(ids).toArray();
    return sql.query(
        "SELECT " + NETWORK_COLUMNS + " FROM network_network WHERE id IN " + Sql.placeholders(args.length),
        NetworkStore::network, args);
  }

  public List<Network> listNetworks() {
    return sql.query("SELECT " + NETWORK_COLUMNS + " FROM network_network", NetworkStore::network);
  }

  /** Saves a changed network if nobody changed it since {@code expectedRevision}. */
  public boolean updateNetwork(Network n, long expectedRevision) {
    return sql.update(
            "UPDATE network_network SET name = ?, description = ?, admin_state_up = ?, shared = ?,"
                + " router_external = ?, mtu = ?, port_security_enabled = ?, revision_number = ?,"
                + " updated_at = ?, dns_domain = ?, is_default = ? WHERE id = ? AND revision_number = ?",
            n.name(), n.description(), n.adminStateUp(), n.shared(), n.external(), n.mtu(),
            n.portSecurityEnabled(), n.revision(), n.updatedAt(), n.dnsDomain(), n.isDefault(), n.id(), expectedRevision)
        == 1;
  }

  /**
   * Sets whether the network is shared with every project and whether it is external (what its
   * RBAC policies say), as a new revision.
   */
  public void setAccessFlags(String id, boolean shared, boolean external, java.time.Instant now) {
    sql.update(
        "UPDATE network_network SET shared = ?, router_external = ?, revision_number = revision_number + 1,"
            + " updated_at = ? WHERE id = ?",
        shared, external, now, id);
  }

  public int deleteNetwork(String id) {
    return sql.update("DELETE FROM network_network WHERE id = ?", id);
  }

  public long countPortsOnNetwork(String networkId) {
    return sql.count("SELECT COUNT(*) FROM network_port WHERE network_id = ?", networkId);
  }

  // Subnets

  /** The subnet tables, in the same transaction. */
  public SubnetStore subnets() {
    return new SubnetStore(sql);
  }

  // Ports

  public void insertPort(Port p) {
    sql.update(
        "INSERT INTO network_port (" + PORT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id(), p.projectId(), p.networkId(), p.name(), p.description(), p.macAddress(),
        p.adminStateUp(), p.status(), p.deviceId(), p.deviceOwner(), p.portSecurityEnabled(),
        p.vnicType(), p.profile(), encode(p.allowedAddressPairs()), p.revision(), p.createdAt(), p.updatedAt(),
        DhcpOptionText.encode(p.extraDhcpOpts()), p.dnsName());
  }

  public Optional<Port> findPort(String id) {
    return loadPorts(" WHERE id = ?", id).stream().findFirst();
  }

  /** Locks the port's row: binding and device changes to one port happen one at a time. */
  public Optional<Port> lockPort(String id) {
    return loadPorts(" WHERE id = ? FOR UPDATE", id).stream().findFirst();
  }

  /** The ports with these ids that exist (at least one id). */
  public List<Port> portsByIds(Collection<String> ids) {
    Object[] args = new LinkedHashSet<>(ids).toArray();
    return loadPorts(" WHERE id IN " + Sql.placeholders(args.length), args);
  }

  /**
   * Every port, or when {@code projectId} is given the project's and those on its networks (a
   * network's owner sees the ports others made on it, as in Neutron).
   */
  public List<Port> listPorts(String projectId) {
    return projectId == null
        ? loadPorts("")
        : loadPorts(
            " WHERE project_id = ? OR network_id IN (SELECT id FROM network_network WHERE project_id = ?)",
            projectId, projectId);
  }

  /** Whether a port on the network has this MAC address. */
  public boolean isMacUsed(String networkId, String mac) {
    return sql.count("SELECT COUNT(*) FROM network_port WHERE network_id = ? AND mac_address = ?", networkId, mac) > 0;
  }

  /** The ports of one device (a server, a router, a floating IP), whoever owns them. */
  public List<Port> portsOfDevice(String deviceId) {
    return loadPorts(" WHERE device_id = ?", deviceId);
  }

  /** The ids of the devices with a port of this owner that has an address on the subnet. */
  public List<String> devicesOnSubnet(String subnetId, String deviceOwner) {
    return sql.query(
        "SELECT DISTINCT p.device_id FROM network_port p JOIN network_ip_allocation a ON a.port_id = p.id"
            + " WHERE a.subnet_id = ? AND p.device_owner = ?",
        r -> r.getString("device_id"),
        subnetId, deviceOwner);
  }

  /** The MAC addresses in use on a network. */
  public Set<String> macsOnNetwork(String networkId) {
    return new HashSet<>(
        sql.query("SELECT mac_address FROM network_port WHERE network_id = ?", r -> r.getString("mac_address"), networkId));
  }

  /** Replaces the port's extra DHCP options. */
  public void setDhcpOptions(String portId, List<Port.DhcpOption> options) {
    sql.update("UPDATE network_port SET extra_dhcp_opts = ? WHERE id = ?", DhcpOptionText.encode(options), portId);
  }

  public void setDnsName(String portId, String dnsName) {
    sql.update("UPDATE network_port SET dns_name = ? WHERE id = ?", dnsName, portId);
  }

  /** Replaces the port's allowed address pairs. */
  public void setAddressPairs(String portId, List<Port.AddressPair> pairs) {
    sql.update("UPDATE network_port SET allowed_address_pairs = ? WHERE id = ?", encode(pairs), portId);
  }

  private static String encode(List<Port.AddressPair> pairs) {
    StringBuilder text = new StringBuilder();
    for (Port.AddressPair pair : pairs) {
      text.append(pair.ipAddress()).append(' ').append(pair.macAddress()).append('\n');
    }
    return text.toString();
  }

  private static List<Port.AddressPair> pairs(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<Port.AddressPair> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int space = line.indexOf(' ');
      out.add(new Port.AddressPair(line.substring(0, space), line.substring(space + 1)));
    }
    return out;
  }

  public boolean updatePort(Port p, long expectedRevision) {
    return sql.update(
            "UPDATE network_port SET name = ?, description = ?, mac_address = ?, admin_state_up = ?,"
                + " status = ?, device_id = ?, device_owner = ?, port_security_enabled = ?,"
                + " vnic_type = ?, binding_profile = ?, revision_number = ?, updated_at = ?"
                + " WHERE id = ? AND revision_number = ?",
            p.name(), p.description(), p.macAddress(), p.adminStateUp(), p.status(), p.deviceId(),
            p.deviceOwner(), p.portSecurityEnabled(), p.vnicType(), p.profile(), p.revision(),
            p.updatedAt(), p.id(), expectedRevision)
        == 1;
  }

  public int deletePort(String id) {
    return sql.update("DELETE FROM network_port WHERE id = ?", id);
  }

  /** The addresses in use on a subnet, canonical text. */
  public Set<String> allocatedAddresses(String subnetId) {
    return new HashSet<>(
        sql.query(
            "SELECT ip_address FROM network_ip_allocation WHERE subnet_id = ?",
            r -> r.getString("ip_address"),
            subnetId));
  }

  /** Whether the address is in use on the subnet (a primary-key lookup). */
  public boolean isAllocated(String subnetId, String address) {
    return sql.count(
            "SELECT COUNT(*) FROM network_ip_allocation WHERE subnet_id = ? AND ip_address = ?", subnetId, address)
        > 0;
  }

  public void allocate(String portId, FixedIp ip, int position) {
    sql.update(
        "INSERT INTO network_ip_allocation (subnet_id, ip_address, port_id, position) VALUES (?, ?, ?, ?)",
        ip.subnetId(), ip.ipAddress(), portId, position);
  }

  /**
   * Gives the port the address unless the subnet already has it (then false, and nothing is
   * written): the primary key decides, in the one statement.
   */
  public boolean claimAddress(String portId, FixedIp ip, int position) {
    return sql.update(
            "INSERT INTO network_ip_allocation (subnet_id, ip_address, port_id, position) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING",
            ip.subnetId(), ip.ipAddress(), portId, position)
        == 1;
  }

  public void releaseAddresses(String portId) {
    sql.update("DELETE FROM network_ip_allocation WHERE port_id = ?", portId);
  }

  public void setSecurityGroups(String portId, List<String> groupIds) {
    sql.update("DELETE FROM network_port_security_group WHERE port_id = ?", portId);
    addSecurityGroups(portId, groupIds);
  }

  /** Gives a port that has none (a new one) these security groups. */
  public void addSecurityGroups(String portId, List<String> groupIds) {
    for (String id : new java.util.LinkedHashSet<>(groupIds)) {
      sql.update(
          "INSERT INTO network_port_security_group (port_id, security_group_id) VALUES (?, ?)", portId, id);
    }
  }

  public boolean isSecurityGroupInUse(String groupId) {
    return sql.count("SELECT COUNT(*) FROM network_port_security_group WHERE security_group_id = ?", groupId) > 0;
  }

  // Bindings

  public void insertBinding(PortBinding b) {
    sql.update(
        "INSERT INTO network_port_binding (port_id, host, status, vif_type, vnic_type, profile, vif_details)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        b.portId(), b.host(), b.status(), b.vifType(), b.vnicType(), b.profile(), b.vifDetails());
  }

  public List<PortBinding> bindingsOf(String portId) {
    return sql.query(
        "SELECT port_id, host, status, vif_type, vnic_type, profile, vif_details FROM network_port_binding"
            + " WHERE port_id = ? ORDER BY host",
        NetworkStore::binding,
        portId);
  }

  public int setBindingStatus(String portId, String host, PortBinding.Status status) {
    return sql.update(
        "UPDATE network_port_binding SET status = ? WHERE port_id = ? AND host = ?", status, portId, host);
  }

  public int deleteBinding(String portId, String host) {
    return sql.update("DELETE FROM network_port_binding WHERE port_id = ? AND host = ?", portId, host);
  }

  public int deleteBindings(String portId) {
    return sql.update("DELETE FROM network_port_binding WHERE port_id = ?", portId);
  }

  /** Loads ports with their addresses, groups and active binding in four queries. */
  private List<Port> loadPorts(String where, Object... args) {
    List<Port> bare = sql.query("SELECT " + PORT_COLUMNS + " FROM network_port" + where, NetworkStore::port, args);
    if (bare.isEmpty()) {
      return bare;
    }
    String in = Sql.placeholders(bare.size());
    Object[] ids = bare.stream().map(Port::id).toArray();
    Map<String, List<FixedIp>> ips = new LinkedHashMap<>();
    sql.query(
        "SELECT port_id, subnet_id, ip_address FROM network_ip_allocation WHERE port_id IN " + in
            + " ORDER BY position",
        r -> ips.computeIfAbsent(r.getString("port_id"), k -> new ArrayList<>())
            .add(new FixedIp(r.getString("subnet_id"), r.getString("ip_address"))),
        ids);
    Map<String, List<String>> groups = new LinkedHashMap<>();
    sql.query(
        "SELECT port_id, security_group_id FROM network_port_security_group WHERE port_id IN " + in
            + " ORDER BY security_group_id",
        r -> groups.computeIfAbsent(r.getString("port_id"), k -> new ArrayList<>()).add(r.getString("security_group_id")),
        ids);
    Map<String, PortBinding> active = new LinkedHashMap<>();
    sql.query(
        "SELECT port_id, host, status, vif_type, vnic_type, profile, vif_details FROM network_port_binding"
            + " WHERE status = 'ACTIVE' AND port_id IN " + in,
        r -> active.put(r.getString("port_id"), binding(r)),
        ids);
    List<Port> full = new ArrayList<>();
    for (Port p : bare) {
      full.add(
          new Port(
              p.id(), p.projectId(), p.networkId(), p.name(), p.description(), p.macAddress(),
              p.adminStateUp(), p.status(), p.deviceId(), p.deviceOwner(), p.portSecurityEnabled(),
              p.vnicType(), p.profile(), ips.getOrDefault(p.id(), List.of()),
              groups.getOrDefault(p.id(), List.of()), active.get(p.id()), p.revision(), p.createdAt(),
              p.updatedAt(), p.allowedAddressPairs(), p.extraDhcpOpts(), p.dnsName()));
    }
    return full;
  }

  // Row mappers

  private static Network network(Sql.Row r) throws SQLException {
    return new Network(
        r.getString("id"), r.getString("project_id"), r.getString("name"), r.getString("description"),
        r.getBoolean("admin_state_up"), r.getBoolean("shared"), r.getBoolean("router_external"),
        r.getInt("mtu"), r.getBoolean("port_security_enabled"), r.getLong("revision_number"),
        r.getInstant("created_at"), r.getInstant("updated_at"), r.getString("dns_domain"), r.getBoolean("is_default"));
  }

  private static Port port(Sql.Row r) throws SQLException {
    return new Port(
        r.getString("id"), r.getString("project_id"), r.getString("network_id"), r.getString("name"),
        r.getString("description"), r.getString("mac_address"), r.getBoolean("admin_state_up"),
        r.getString("status"), r.getString("device_id"), r.getString("device_owner"),
        r.getBoolean("port_security_enabled"), r.getString("vnic_type"), r.getString("binding_profile"),
        List.of(), List.of(), null, r.getLong("revision_number"), r.getInstant("created_at"),
        r.getInstant("updated_at"), pairs(r.getString("allowed_address_pairs")),
        DhcpOptionText.decode(r.getString("extra_dhcp_opts")), r.getString("dns_name"));
  }

  private static PortBinding binding(Sql.Row r) throws SQLException {
    return new PortBinding(
        r.getString("port_id"), r.getString("host"), PortBinding.Status.valueOf(r.getString("status")),
        r.getString("vif_type"), r.getString("vnic_type"), r.getString("profile"), r.getString("vif_details"));
  }
}
