package dev.kiln.orchestration.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code heat_software_config} and {@code heat_software_deployment}. */
final class SoftwareStore {
  private static final String CONFIG_COLUMNS = "id, project_id, name, grp, body, created_at";
  private static final String DEPLOYMENT_COLUMNS =
      "id, project_id, stack_user_project_id, config_id, server_id, input_values, output_values, action, status,"
          + " status_reason, created_at, updated_at";

  private final Sql sql;

  SoftwareStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  void insertConfig(SoftwareConfig c) {
    ObjectNode body = JsonColumns.object();
    body.set("config", c.config());
    body.set("inputs", c.inputs());
    body.set("outputs", c.outputs());
    body.set("options", c.options());
    sql.update(
        "INSERT INTO heat_software_config (" + CONFIG_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
        c.id(), c.projectId(), c.name(), c.group(), JsonColumns.write(body), c.createdAt());
  }

  Optional<SoftwareConfig> config(String id) {
    return sql.queryOne("SELECT " + CONFIG_COLUMNS + " FROM heat_software_config WHERE id = ?", SoftwareStore::config, id);
  }

  List<SoftwareConfig> configs(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return sql.query(
        "SELECT " + CONFIG_COLUMNS + " FROM heat_software_config WHERE id IN " + Sql.placeholders(ids.size()),
        SoftwareStore::config, ids.toArray());
  }

  /** A project's configs (every project's when {@code projectId} is null), oldest first. */
  List<SoftwareConfig> configs(String projectId) {
    String where = projectId == null ? "" : " WHERE project_id = ?";
    Object[] args = projectId == null ? new Object[0] : new Object[] {projectId};
    return sql.query(
        "SELECT " + CONFIG_COLUMNS + " FROM heat_software_config" + where + " ORDER BY created_at, id",
        SoftwareStore::config, args);
  }

  boolean configInUse(String id) {
    return sql.count("SELECT COUNT(*) FROM heat_software_deployment WHERE config_id = ?", id) > 0;
  }

  int deleteConfig(String id) {
    return sql.update("DELETE FROM heat_software_config WHERE id = ?", id);
  }

  /** Inserts the deployment; false when one with its id exists already (a repeated create). */
  boolean insertDeployment(SoftwareDeployment d) {
    return sql.update(
            "INSERT INTO heat_software_deployment (" + DEPLOYMENT_COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM heat_software_deployment WHERE id = ?)",
            d.id(), d.projectId(), d.stackUserProjectId(), d.configId(), d.serverId(),
            JsonColumns.write(d.inputValues()), JsonColumns.write(d.outputValues()), d.action(), d.status(),
            d.statusReason(), d.createdAt(), d.updatedAt(), d.id())
        == 1;
  }

  Optional<SoftwareDeployment> deployment(String id) {
    return sql.queryOne(
        "SELECT " + DEPLOYMENT_COLUMNS + " FROM heat_software_deployment WHERE id = ?", SoftwareStore::deployment, id);
  }

  /** Deployments visible to a project (all when null), optionally of one server, oldest first. */
  List<SoftwareDeployment> deployments(String projectId, String serverId) {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (projectId != null) {
      where.add("(project_id = ? OR stack_user_project_id = ?)");
      args.add(projectId);
      args.add(projectId);
    }
    if (serverId != null) {
      where.add("server_id = ?");
      args.add(serverId);
    }
    return sql.query(
        "SELECT " + DEPLOYMENT_COLUMNS + " FROM heat_software_deployment"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY created_at, id",
        SoftwareStore::deployment, args.toArray());
  }

  /**
   * Writes the deployment's changeable fields, only if its status is still {@code expectedStatus}
   * (null: whatever it is); false when another writer changed it first.
   */
  boolean updateDeployment(SoftwareDeployment d, String expectedStatus) {
    String guard = expectedStatus == null ? "" : " AND status = ?";
    List<Object> args = new ArrayList<>(List.of(
        d.configId(), JsonColumns.write(d.inputValues()), JsonColumns.write(d.outputValues()), d.action(), d.status(),
        d.statusReason(), d.updatedAt(), d.id()));
    if (expectedStatus != null) {
      args.add(expectedStatus);
    }
    return sql.update(
            "UPDATE heat_software_deployment SET config_id = ?, input_values = ?, output_values = ?, action = ?,"
                + " status = ?, status_reason = ?, updated_at = ? WHERE id = ?" + guard,
            args.toArray())
        == 1;
  }

  int deleteDeployment(String id) {
    return sql.update("DELETE FROM heat_software_deployment WHERE id = ?", id);
  }

  private static SoftwareConfig config(Sql.Row row) throws SQLException {
    JsonNode body = JsonColumns.read(row.getString("body"));
    return new SoftwareConfig(
        row.getString("id"), row.getString("project_id"), row.getString("name"), row.getString("grp"),
        body.get("config"), (ArrayNode) body.get("inputs"), (ArrayNode) body.get("outputs"),
        (ObjectNode) body.get("options"), row.getInstant("created_at"));
  }

  private static SoftwareDeployment deployment(Sql.Row row) throws SQLException {
    Instant updated = row.getInstant("updated_at");
    return new SoftwareDeployment(
        row.getString("id"), row.getString("project_id"), row.getString("stack_user_project_id"),
        row.getString("config_id"), row.getString("server_id"),
        (ObjectNode) JsonColumns.read(row.getString("input_values")),
        (ObjectNode) JsonColumns.read(row.getString("output_values")), row.getString("action"),
        row.getString("status"), row.getString("status_reason"), row.getInstant("created_at"), updated);
  }
}
