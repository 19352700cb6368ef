package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.RbacPolicy;
import dev.kiln.network.RbacPolicy.Action;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The RBAC policy table, and the questions sharing asks of the other networking tables: which
 * projects use a network (ports, router gateways, floating IPs). The caller decides the transaction
 * and takes the network's row lock before a change.
 */
public final class RbacStore {
  private static final String COLUMNS = "id, project_id, object_type, object_id, action, target_project";

  private final Sql sql;

  public RbacStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(RbacPolicy p) {
    sql.update(
        "INSERT INTO network_rbac_policy (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
        p.id(), p.projectId(), p.objectType(), p.objectId(), p.action().wire(), p.targetProject());
  }

  public Optional<RbacPolicy> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM network_rbac_policy WHERE id = ?", RbacStore::policy, id);
  }

  /** Every policy, or those one project made. */
  public List<RbacPolicy> list(String projectId) {
    return projectId == null
        ? sql.query("SELECT " + COLUMNS + " FROM network_rbac_policy", RbacStore::policy)
        : sql.query("SELECT " + COLUMNS + " FROM network_rbac_policy WHERE project_id = ?", RbacStore::policy, projectId);
  }

  /** The policies on one network. */
  public List<RbacPolicy> ofNetwork(String networkId) {
    return sql.query("SELECT " + COLUMNS + " FROM network_rbac_policy WHERE object_id = ?", RbacStore::policy, networkId);
  }

  public boolean updateTarget(String id, String targetProject) {
    return sql.update("UPDATE network_rbac_policy SET target_project = ? WHERE id = ?", targetProject, id) == 1;
  }

  public int delete(String id) {
    return sql.update("DELETE FROM network_rbac_policy WHERE id = ?", id);
  }

  /** Removes the policies of one action on a network, whatever their targets. */
  public int deleteAll(String networkId, Action action) {
    return sql.update("DELETE FROM network_rbac_policy WHERE object_id = ? AND action = ?", networkId, action.wire());
  }

  /** The networks some policy opens to this project (or to every project), by any action. */
  public Set<String> networksOpenTo(String projectId) {
    return new HashSet<>(
        sql.query(
            "SELECT DISTINCT object_id FROM network_rbac_policy WHERE target_project IN ('*', ?)",
            r -> r.getString("object_id"),
            projectId == null ? "*" : projectId));
  }

  /** The networks shared (access_as_shared) with this project or with every project. */
  public Set<String> networksSharedWith(String projectId) {
    return new HashSet<>(
        sql.query(
            "SELECT DISTINCT object_id FROM network_rbac_policy WHERE action = 'access_as_shared'"
                + " AND target_project IN ('*', ?)",
            r -> r.getString("object_id"),
            projectId == null ? "*" : projectId));
  }

  /** Whether a policy opens this network to the project (or to every project). */
  public boolean isOpenTo(String networkId, String projectId) {
    return sql.count(
            "SELECT COUNT(*) FROM network_rbac_policy WHERE object_id = ? AND target_project IN ('*', ?)",
            networkId, projectId == null ? "*" : projectId)
        > 0;
  }

  /** The projects with a port on the network (Networking's own ports, owned by no project, aside). */
  public Set<String> projectsWithPorts(String networkId) {
    return new HashSet<>(
        sql.query(
            "SELECT DISTINCT project_id FROM network_port WHERE network_id = ? AND project_id <> ''",
            r -> r.getString("project_id"),
            networkId));
  }

  /** The projects with a router whose gateway is on the network, or a floating IP from it. */
  public Set<String> projectsUsingAsExternal(String networkId) {
    Set<String> out = new HashSet<>(
        sql.query("SELECT DISTINCT project_id FROM network_router WHERE gw_network_id = ?", r -> r.getString("project_id"), networkId));
    out.addAll(
        sql.query(
            "SELECT DISTINCT project_id FROM network_floatingip WHERE floating_network_id = ?",
            r -> r.getString("project_id"),
            networkId));
    return out;
  }

  private static RbacPolicy policy(Sql.Row r) throws SQLException {
    return new RbacPolicy(
        r.getString("id"), r.getString("project_id"), r.getString("object_type"), r.getString("object_id"),
        Action.fromWire(r.getString("action")), r.getString("target_project"));
  }
}
