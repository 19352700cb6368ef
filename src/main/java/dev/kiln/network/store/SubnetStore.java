package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.Subnet;
import dev.kiln.network.Subnet.Pool;
import dev.kiln.network.Subnet.Route;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subnet tables (subnets with their pools, DNS servers and host routes) and the questions
 * about the addresses allocated on a subnet. Reached through {@link NetworkStore#subnets()} so
 * that it shares the caller's transaction; the caller takes the row locks.
 */
public final class SubnetStore {
  private static final String SUBNET_COLUMNS =
      "id, project_id, network_id, name, description, ip_version, cidr, gateway_ip, enable_dhcp,"
          + " ipv6_ra_mode, ipv6_address_mode, revision_number, created_at, updated_at, subnetpool_id";

  private final Sql sql;

  SubnetStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }


  public void insertSubnet(Subnet s) {
    sql.update(
        "INSERT INTO network_subnet (" + SUBNET_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.projectId(), s.networkId(), s.name(), s.description(), s.ipVersion(), s.cidr(),
        s.gatewayIp(), s.enableDhcp(), s.ipv6RaMode(), s.ipv6AddressMode(), s.revision(),
        s.createdAt(), s.updatedAt(), s.subnetpoolId());
    insertSubnetLists(s);
  }

  private void insertSubnetLists(Subnet s) {
    for (int i = 0; i < s.allocationPools().size(); i++) {
      Pool p = s.allocationPools().get(i);
      sql.update(
          "INSERT INTO network_subnet_pool (subnet_id, position, first_ip, last_ip) VALUES (?, ?, ?, ?)",
          s.id(), i, p.start(), p.end());
    }
    for (int i = 0; i < s.dnsNameservers().size(); i++) {
      sql.update(
          "INSERT INTO network_subnet_dns (subnet_id, position, address) VALUES (?, ?, ?)",
          s.id(), i, s.dnsNameservers().get(i));
    }
    for (int i = 0; i < s.hostRoutes().size(); i++) {
      Route r = s.hostRoutes().get(i);
      sql.update(
          "INSERT INTO network_subnet_route (subnet_id, position, destination, nexthop) VALUES (?, ?, ?, ?)",
          s.id(), i, r.destination(), r.nexthop());
    }
  }

  public Optional<Subnet> findSubnet(String id) {
    return loadSubnets(" WHERE id = ?", id).stream().findFirst();
  }

  public List<Subnet> listSubnets() {
    return loadSubnets("");
  }

  /** The subnets with these ids that exist (at least one id), in no particular order. */
  public List<Subnet> subnetsByIds(Collection<String> ids) {
    Object[] args = new LinkedHashSet<>(ids).toArray();
    return loadSubnets(" WHERE id IN " + Sql.placeholders(args.length), args);
  }

  /** The id, network and project of each subnet on these networks (at least one id). */
  public List<String[]> subnetOwnersOn(Collection<String> networkIds) {
    Object[] args = new LinkedHashSet<>(networkIds).toArray();
    return sql.query(
        "SELECT id, network_id, project_id FROM network_subnet WHERE network_id IN " + Sql.placeholders(args.length)
            + " ORDER BY created_at, id",
        r -> new String[] {r.getString("id"), r.getString("network_id"), r.getString("project_id")}, args);
  }

  public List<Subnet> subnetsOfNetwork(String networkId) {
    return loadSubnets(" WHERE network_id = ?", networkId);
  }

  /** Whether the network has a subnet of this IP version. */
  public boolean hasSubnetOfVersion(String networkId, int ipVersion) {
    return sql.count("SELECT COUNT(*) FROM network_subnet WHERE network_id = ? AND ip_version = ?", networkId, ipVersion) > 0;
  }

  /**
   * The network's subnets with their allocation pools but without their DNS servers and host
   * routes, which address allocation does not need: two queries instead of four.
   */
  public List<Subnet> subnetsForAllocation(String networkId) {
    List<Subnet> bare =
        sql.query("SELECT " + SUBNET_COLUMNS + " FROM network_subnet WHERE network_id = ?", SubnetStore::subnet, networkId);
    if (bare.isEmpty()) {
      return bare;
    }
    Map<String, List<Pool>> pools = new LinkedHashMap<>();
    sql.query(
        "SELECT subnet_id, first_ip, last_ip FROM network_subnet_pool WHERE subnet_id IN " + Sql.placeholders(bare.size())
            + " ORDER BY position",
        r -> pools.computeIfAbsent(r.getString("subnet_id"), k -> new ArrayList<>())
            .add(new Pool(r.getString("first_ip"), r.getString("last_ip"))),
        bare.stream().map(Subnet::id).toArray());
    List<Subnet> out = new ArrayList<>();
    for (Subnet s : bare) {
      out.add(
          new Subnet(
              s.id(), s.projectId(), s.networkId(), s.name(), s.description(), s.ipVersion(), s.cidr(), s.gatewayIp(),
              s.enableDhcp(), pools.getOrDefault(s.id(), List.of()), List.of(), List.of(), s.ipv6RaMode(),
              s.ipv6AddressMode(), s.revision(), s.createdAt(), s.updatedAt(), s.subnetpoolId()));
    }
    return out;
  }

  /** Locks a subnet's row: address allocation on one subnet happens one port at a time. */
  public boolean lockSubnet(String id) {
    return lockSubnetRevision(id).isPresent();
  }

  /**
   * Locks a subnet's row and gives its revision, which any change to the subnet moves; empty when
   * there is no such subnet.
   */
  public Optional<Long> lockSubnetRevision(String id) {
    return sql.queryOne(
        "SELECT revision_number FROM network_subnet WHERE id = ? FOR UPDATE", r -> r.getLong("revision_number"), id);
  }

  public boolean updateSubnet(Subnet s, long expectedRevision) {
    boolean updated =
        sql.update(
                "UPDATE network_subnet SET name = ?, description = ?, gateway_ip = ?, enable_dhcp = ?,"
                    + " revision_number = ?, updated_at = ? WHERE id = ? AND revision_number = ?",
                s.name(), s.description(), s.gatewayIp(), s.enableDhcp(), s.revision(), s.updatedAt(),
                s.id(), expectedRevision)
            == 1;
    if (updated) {
      sql.update("DELETE FROM network_subnet_pool WHERE subnet_id = ?", s.id());
      sql.update("DELETE FROM network_subnet_dns WHERE subnet_id = ?", s.id());
      sql.update("DELETE FROM network_subnet_route WHERE subnet_id = ?", s.id());
      insertSubnetLists(s);
    }
    return updated;
  }

  public int deleteSubnet(String id) {
    return sql.update("DELETE FROM network_subnet WHERE id = ?", id);
  }

  public long countAllocations(String subnetId) {
    return sql.count("SELECT COUNT(*) FROM network_ip_allocation WHERE subnet_id = ?", subnetId);
  }

  /** The device owners of the ports holding an address on the subnet, by port. */
  public Map<String, String> ownersOfPortsOn(String subnetId) {
    Map<String, String> out = new LinkedHashMap<>();
    sql.query(
        "SELECT a.port_id, p.device_owner FROM network_ip_allocation a JOIN network_port p ON p.id = a.port_id"
            + " WHERE a.subnet_id = ?",
        r -> out.put(r.getString("port_id"), r.getString("device_owner")),
        subnetId);
    return out;
  }

  /**
   * Takes every address on the subnet off its port, each such port counting a new revision (the
   * ports' order of addresses keeps its gaps, which only order them).
   */
  public void releaseSubnetAddresses(String subnetId, Instant now) {
    sql.update(
        "UPDATE network_port SET revision_number = revision_number + 1, updated_at = ? WHERE id IN"
            + " (SELECT port_id FROM network_ip_allocation WHERE subnet_id = ?)",
        now, subnetId);
    sql.update("DELETE FROM network_ip_allocation WHERE subnet_id = ?", subnetId);
  }

  private List<Subnet> loadSubnets(String where, Object... args) {
    List<Subnet> bare =
        sql.query("SELECT " + SUBNET_COLUMNS + " FROM network_subnet" + where, SubnetStore::subnet, args);
    if (bare.isEmpty()) {
      return bare;
    }
    Map<String, List<Pool>> pools = new LinkedHashMap<>();
    Map<String, List<String>> dns = new LinkedHashMap<>();
    Map<String, List<Route>> routes = new LinkedHashMap<>();
    String in = Sql.placeholders(bare.size());
    Object[] ids = bare.stream().map(Subnet::id).toArray();
    sql.query(
        "SELECT subnet_id, first_ip, last_ip FROM network_subnet_pool WHERE subnet_id IN " + in + " ORDER BY position",
        r -> pools.computeIfAbsent(r.getString("subnet_id"), k -> new ArrayList<>())
            .add(new Pool(r.getString("first_ip"), r.getString("last_ip"))),
        ids);
    sql.query(
        "SELECT subnet_id, address FROM network_subnet_dns WHERE subnet_id IN " + in + " ORDER BY position",
        r -> dns.computeIfAbsent(r.getString("subnet_id"), k -> new ArrayList<>()).add(r.getString("address")),
        ids);
    sql.query(
        "SELECT subnet_id, destination, nexthop FROM network_subnet_route WHERE subnet_id IN " + in + " ORDER BY position",
        r -> routes.computeIfAbsent(r.getString("subnet_id"), k -> new ArrayList<>())
            .add(new Route(r.getString("destination"), r.getString("nexthop"))),
        ids);
    List<Subnet> full = new ArrayList<>();
    for (Subnet s : bare) {
      full.add(
          new Subnet(
              s.id(), s.projectId(), s.networkId(), s.name(), s.description(), s.ipVersion(), s.cidr(),
              s.gatewayIp(), s.enableDhcp(), pools.getOrDefault(s.id(), List.of()),
              dns.getOrDefault(s.id(), List.of()), routes.getOrDefault(s.id(), List.of()),
              s.ipv6RaMode(), s.ipv6AddressMode(), s.revision(), s.createdAt(), s.updatedAt(), s.subnetpoolId()));
    }
    return full;
  }

  private static Subnet subnet(Sql.Row r) throws SQLException {
    return new Subnet(
        r.getString("id"), r.getString("project_id"), r.getString("network_id"), r.getString("name"),
        r.getString("description"), r.getInt("ip_version"), r.getString("cidr"), r.getString("gateway_ip"),
        r.getBoolean("enable_dhcp"), List.of(), List.of(), List.of(), r.getString("ipv6_ra_mode"),
        r.getString("ipv6_address_mode"), r.getLong("revision_number"), r.getInstant("created_at"),
        r.getInstant("updated_at"), r.getString("subnetpool_id"));
  }
}
