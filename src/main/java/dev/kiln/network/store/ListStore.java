package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.Listing;
import dev.kiln.network.store.ListingSql.Column;
import dev.kiln.network.store.ListingSql.Kind;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pages of Neutron's lists, found by the database: for each collection, the attributes a
 * list may filter and sort on there (those whose value Neutron shows is the column's own), and
 * who may see which rows. Answers ids in page order, or empty for a marker the caller cannot see.
 * Each query is keyed on an indexed column (project, network, device) and the primary key.
 */
public final class ListStore {
  private static final ListingSql PORTS =
      new ListingSql(
          "network_port p", "p",
          Map.ofEntries(
              text("id", "p.id"), text("name", "p.name"), text("description", "p.description"),
              text("project_id", "p.project_id"), text("tenant_id", "p.project_id"),
              text("network_id", "p.network_id"), text("mac_address", "p.mac_address"),
              bool("admin_state_up", "p.admin_state_up"), text("status", "p.status"),
              text("device_id", "p.device_id"), text("device_owner", "p.device_owner"),
              bool("port_security_enabled", "p.port_security_enabled"),
              integer("revision_number", "p.revision_number")),
          true);
  private static final ListingSql FLOATING_IPS =
      new ListingSql(
          "network_floatingip f", "f",
          Map.ofEntries(
              text("id", "f.id"), text("project_id", "f.project_id"), text("tenant_id", "f.project_id"),
              text("floating_network_id", "f.floating_network_id"),
              text("floating_ip_address", "f.floating_ip_address"),
              nullableText("port_id", "f.fixed_port_id"), nullableText("fixed_ip_address", "f.fixed_ip_address"),
              nullableText("router_id", "f.router_id"), text("description", "f.description"),
              integer("revision_number", "f.revision_number")),
          false);
  private static final ListingSql ROUTERS =
      new ListingSql(
          "network_router r", "r",
          Map.ofEntries(
              text("id", "r.id"), text("name", "r.name"), text("description", "r.description"),
              text("project_id", "r.project_id"), text("tenant_id", "r.project_id"),
              bool("admin_state_up", "r.admin_state_up"), integer("revision_number", "r.revision_number")),
          false);
  private static final ListingSql SECURITY_GROUPS =
      new ListingSql(
          "network_security_group g", "g",
          Map.ofEntries(
              text("id", "g.id"), text("name", "g.name"), text("description", "g.description"),
              text("project_id", "g.project_id"), text("tenant_id", "g.project_id"),
              bool("stateful", "g.stateful"), integer("revision_number", "g.revision_number")),
          false);
  private static final ListingSql NETWORKS =
      new ListingSql(
          "network_network n", "n",
          Map.ofEntries(
              text("id", "n.id"), text("name", "n.name"), text("description", "n.description"),
              text("project_id", "n.project_id"), text("tenant_id", "n.project_id"),
              bool("admin_state_up", "n.admin_state_up"), integer("mtu", "n.mtu"),
              bool("port_security_enabled", "n.port_security_enabled"),
              integer("revision_number", "n.revision_number")),
          false);
  private static final ListingSql SUBNETS =
      new ListingSql(
          "network_subnet s", "s",
          Map.ofEntries(
              text("id", "s.id"), text("name", "s.name"), text("description", "s.description"),
              text("project_id", "s.project_id"), text("tenant_id", "s.project_id"),
              text("network_id", "s.network_id"), integer("ip_version", "s.ip_version"), text("cidr", "s.cidr"),
              nullableText("gateway_ip", "s.gateway_ip"), bool("enable_dhcp", "s.enable_dhcp"),
              nullableText("ipv6_ra_mode", "s.ipv6_ra_mode"), nullableText("ipv6_address_mode", "s.ipv6_address_mode"),
              nullableText("subnetpool_id", "s.subnetpool_id"), integer("revision_number", "s.revision_number")),
          false);

  private final Sql sql;

  public ListStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Whether the database can answer a port listing that filters and sorts on these attributes. */
  public static boolean portsCover(Collection<String> attributes) {
    return PORTS.covers(attributes);
  }

  public static boolean floatingIpsCover(Collection<String> attributes) {
    return FLOATING_IPS.covers(attributes);
  }

  public static boolean routersCover(Collection<String> attributes) {
    return ROUTERS.covers(attributes);
  }

  public static boolean securityGroupsCover(Collection<String> attributes) {
    return SECURITY_GROUPS.covers(attributes);
  }

  public static boolean networksCover(Collection<String> attributes) {
    return NETWORKS.covers(attributes);
  }

  public static boolean subnetsCover(Collection<String> attributes) {
    return SUBNETS.covers(attributes);
  }

  /**
   * A page of ports: every port, or when {@code projectId} is given the project's and those on its
   * networks (as {@link NetworkStore#listPorts}).
   */
  public Optional<List<String>> ports(String projectId, Listing listing) {
    if (projectId == null) {
      return PORTS.page(sql, "", List.of(), listing);
    }
    // The project's networks first, as a list of values: a subquery in the OR would be asked
    // again for each port the page walks past.
    List<Object> args = new ArrayList<>(List.of(projectId));
    List<String> networks =
        sql.query("SELECT id FROM network_network WHERE project_id = ?", r -> r.getString("id"), projectId);
    String visibility = "p.project_id = ?";
    if (!networks.isEmpty()) {
      visibility += " OR p.network_id IN " + Sql.placeholders(networks.size());
      args.addAll(networks);
    }
    return PORTS.page(sql, visibility, args, listing);
  }

  /** A page of floating IPs: every one, or one project's. */
  public Optional<List<String>> floatingIps(String projectId, Listing listing) {
    return ofProject(FLOATING_IPS, "f", projectId, listing);
  }

  /** A page of routers: every one, or one project's. */
  public Optional<List<String>> routers(String projectId, Listing listing) {
    return ofProject(ROUTERS, "r", projectId, listing);
  }

  /** A page of security groups: every one, or one project's. */
  public Optional<List<String>> securityGroups(String projectId, Listing listing) {
    return ofProject(SECURITY_GROUPS, "g", projectId, listing);
  }

  /**
   * A page of networks: every one, or when {@code projectId} is given the project's, the shared
   * ones and those a policy opens to it ({@code openToProject}).
   */
  public Optional<List<String>> networks(String projectId, Collection<String> openToProject, Listing listing) {
    if (projectId == null) {
      return NETWORKS.page(sql, "", List.of(), listing);
    }
    List<Object> args = new ArrayList<>();
    args.add(projectId); // null for a token scoped to no project: it owns nothing
    String visibility = "n.project_id = ? OR n.shared = TRUE";
    if (!openToProject.isEmpty()) {
      visibility += " OR n.id IN " + Sql.placeholders(openToProject.size());
      args.addAll(openToProject);
    }
    return NETWORKS.page(sql, visibility, args, listing);
  }

  /**
   * A page of subnets: every one, or when {@code projectId} is given the project's, those on its
   * networks and those on the networks shared with it ({@code sharedWithProject}).
   */
  public Optional<List<String>> subnets(String projectId, Collection<String> sharedWithProject, Listing listing) {
    if (projectId == null) {
      return SUBNETS.page(sql, "", List.of(), listing);
    }
    List<Object> args = new ArrayList<>();
    args.add(projectId);
    List<String> usable = new ArrayList<>(sharedWithProject);
    usable.addAll(sql.query("SELECT id FROM network_network WHERE project_id = ?", r -> r.getString("id"), projectId));
    String visibility = "s.project_id = ?";
    if (!usable.isEmpty()) {
      visibility += " OR s.network_id IN " + Sql.placeholders(usable.size());
      args.addAll(usable);
    }
    return SUBNETS.page(sql, visibility, args, listing);
  }

  private Optional<List<String>> ofProject(ListingSql table, String alias, String projectId, Listing listing) {
    return projectId == null
        ? table.page(sql, "", List.of(), listing)
        : table.page(sql, alias + ".project_id = ?", List.of(projectId), listing);
  }

  private static Map.Entry<String, Column> text(String attribute, String expression) {
    return Map.entry(attribute, new Column(expression, Kind.TEXT));
  }

  private static Map.Entry<String, Column> nullableText(String attribute, String expression) {
    return Map.entry(attribute, new Column(expression, Kind.NULLABLE_TEXT));
  }

  private static Map.Entry<String, Column> bool(String attribute, String expression) {
    return Map.entry(attribute, new Column(expression, Kind.BOOLEAN));
  }

  private static Map.Entry<String, Column> integer(String attribute, String expression) {
    return Map.entry(attribute, new Column(expression, Kind.INTEGER));
  }
}
