package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.Port.FixedIp;
import dev.kiln.network.Router;
import dev.kiln.network.Subnet.Route;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The router tables. A router's gateway addresses are those of its gateway port, read from the
 * ports' tables in the same query. The caller decides the transaction and takes the locks.
 */
public final class RouterStore {
  private static final String COLUMNS =
      "id, project_id, name, description, admin_state_up, gw_network_id, enable_snat,"
          + " revision_number, created_at, updated_at";

  private final Sql sql;

  public RouterStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(Router r) {
    sql.update(
        "INSERT INTO network_router (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(), r.projectId(), r.name(), r.description(), r.adminStateUp(),
        r.gateway() == null ? null : r.gateway().networkId(),
        r.gateway() == null || r.gateway().enableSnat(), r.revision(), r.createdAt(), r.updatedAt());
    insertRoutes(r.id(), r.routes());
  }

  public Optional<Router> find(String id) {
    return load(" WHERE id = ?", id).stream().findFirst();
  }

  /** Locks the router's row until the transaction ends: changes to one router run one at a time. */
  public Optional<Router> lock(String id) {
    return load(" WHERE id = ? FOR UPDATE", id).stream().findFirst();
  }

  /** Every router, or one project's. */
  public List<Router> list(String projectId) {
    return projectId == null ? load("") : load(" WHERE project_id = ?", projectId);
  }

  /** The routers with these ids that exist (at least one id), in no particular order. */
  public List<Router> byIds(java.util.Collection<String> ids) {
    Object[] args = new java.util.LinkedHashSet<>(ids).toArray();
    return load(" WHERE id IN " + Sql.placeholders(args.length), args);
  }

  /** Saves a changed router (not its routes) if nobody changed it since {@code expectedRevision}. */
  public boolean update(Router r, long expectedRevision) {
    return sql.update(
            "UPDATE network_router SET name = ?, description = ?, admin_state_up = ?, gw_network_id = ?,"
                + " enable_snat = ?, revision_number = ?, updated_at = ? WHERE id = ? AND revision_number = ?",
            r.name(), r.description(), r.adminStateUp(), r.gateway() == null ? null : r.gateway().networkId(),
            r.gateway() == null || r.gateway().enableSnat(), r.revision(), r.updatedAt(), r.id(), expectedRevision)
        == 1;
  }

  public void replaceRoutes(String routerId, List<Route> routes) {
    sql.update("DELETE FROM network_router_route WHERE router_id = ?", routerId);
    insertRoutes(routerId, routes);
  }

  public int delete(String id) {
    return sql.update("DELETE FROM network_router WHERE id = ?", id);
  }

  /** How many routers have their gateway on this network. */
  public long countWithGatewayOn(String networkId) {
    return sql.count("SELECT COUNT(*) FROM network_router WHERE gw_network_id = ?", networkId);
  }

  /**
   * The routers that have an interface on {@code subnetId} and a gateway on {@code
   * externalNetworkId}, each with the address of its interface there.
   */
  public List<String[]> routersConnecting(String subnetId, String externalNetworkId) {
    return sql.query(
        "SELECT r.id, a.ip_address FROM network_router r"
            + " JOIN network_port p ON p.device_id = r.id AND p.device_owner = ?"
            + " JOIN network_ip_allocation a ON a.port_id = p.id AND a.subnet_id = ?"
            + " WHERE r.gw_network_id = ? ORDER BY r.created_at, r.id",
        row -> new String[] {row.getString("id"), row.getString("ip_address")},
        Router.INTERFACE_OWNER, subnetId, externalNetworkId);
  }

  private void insertRoutes(String routerId, List<Route> routes) {
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      sql.update(
          "INSERT INTO network_router_route (router_id, position, destination, nexthop) VALUES (?, ?, ?, ?)",
          routerId, i, route.destination(), route.nexthop());
    }
  }

  /** Loads routers with their routes and gateway addresses in three queries. */
  private List<Router> load(String where, Object... args) {
    List<Router> bare = sql.query("SELECT " + COLUMNS + " FROM network_router" + where, RouterStore::router, args);
    if (bare.isEmpty()) {
      return bare;
    }
    String in = Sql.placeholders(bare.size());
    Object[] ids = bare.stream().map(Router::id).toArray();
    Map<String, List<Route>> routes = new LinkedHashMap<>();
    sql.query(
        "SELECT router_id, destination, nexthop FROM network_router_route WHERE router_id IN " + in
            + " ORDER BY position",
        r -> routes.computeIfAbsent(r.getString("router_id"), k -> new ArrayList<>())
            .add(new Route(r.getString("destination"), r.getString("nexthop"))),
        ids);
    Object[] args2 = new Object[ids.length + 1];
    args2[0] = Router.GATEWAY_OWNER;
    System.arraycopy(ids, 0, args2, 1, ids.length);
    Map<String, List<FixedIp>> gatewayIps = new LinkedHashMap<>();
    sql.query(
        "SELECT p.device_id, a.subnet_id, a.ip_address FROM network_port p"
            + " JOIN network_ip_allocation a ON a.port_id = p.id"
            + " WHERE p.device_owner = ? AND p.device_id IN " + in + " ORDER BY a.position",
        r -> gatewayIps.computeIfAbsent(r.getString("device_id"), k -> new ArrayList<>())
            .add(new FixedIp(r.getString("subnet_id"), r.getString("ip_address"))),
        args2);
    List<Router> full = new ArrayList<>();
    for (Router r : bare) {
      Router.Gateway gateway =
          r.gateway() == null
              ? null
              : new Router.Gateway(
                  r.gateway().networkId(), r.gateway().enableSnat(), gatewayIps.getOrDefault(r.id(), List.of()));
      full.add(
          new Router(
              r.id(), r.projectId(), r.name(), r.description(), r.adminStateUp(), gateway,
              routes.getOrDefault(r.id(), List.of()), r.revision(), r.createdAt(), r.updatedAt()));
    }
    return full;
  }

  private static Router router(Sql.Row r) throws SQLException {
    String gwNetwork = r.getString("gw_network_id");
    return new Router(
        r.getString("id"), r.getString("project_id"), r.getString("name"), r.getString("description"),
        r.getBoolean("admin_state_up"),
        gwNetwork == null ? null : new Router.Gateway(gwNetwork, r.getBoolean("enable_snat"), List.of()),
        List.of(), r.getLong("revision_number"), r.getInstant("created_at"), r.getInstant("updated_at"));
  }
}
