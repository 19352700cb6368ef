package dev.kiln.orchestration.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of {@code heat_resource}. Writes come in batches ({@link #insertAll}, {@link
 * #updateAll}): the engine writes every resource that changed since its last commit in one
 * statement batch of one transaction.
 *
 * <p>The {@code hook} column is written only by {@link #setHook} and {@link #clearHook}, never by
 * {@link #updateAll}, so a hook cleared by a signal is not undone by the engine writing the row.
 */
public final class ResourceStore {
  private static final String COLUMNS =
      "id, stack_id, name, generation, is_current, template_id, type, action, status, status_reason, physical_id,"
          + " requires, properties, data, metadata, deletion_policy, hook, nested_stack_id, replaces, replaced_by,"
          + " description, created_at, updated_at";

  private final Sql sql;

  public ResourceStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insertAll(Collection<ResourceRow> rows) {
    List<Object[]> args = new ArrayList<>(rows.size());
    for (ResourceRow r : rows) {
      args.add(
          new Object[] {
            r.id(), r.stackId(), r.name(), r.generation(), r.current(), r.templateId(), r.type(), r.action(),
            r.status(), r.statusReason(), r.physicalId(), JsonColumns.writeStrings(r.requires()),
            JsonColumns.write(r.properties()), JsonColumns.write(r.data()), JsonColumns.write(r.metadata()),
            r.deletionPolicy(), r.hook(), r.nestedStackId(), r.replaces(), r.replacedBy(), r.description(),
            r.createdAt(), r.updatedAt()
          });
    }
    sql.batch(
        "INSERT INTO heat_resource (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?)",
        args);
  }

  /** Writes each row's state and outcome (not its hook). */
  public void updateAll(Collection<ResourceRow> rows) {
    List<Object[]> args = new ArrayList<>(rows.size());
    for (ResourceRow r : rows) {
      args.add(
          new Object[] {
            r.action(), r.status(), r.statusReason(), r.physicalId(), JsonColumns.write(r.properties()),
            JsonColumns.write(r.data()), JsonColumns.write(r.metadata()), r.nestedStackId(), r.current(),
            r.replacedBy(), r.templateId(), JsonColumns.writeStrings(r.requires()), r.deletionPolicy(),
            r.description(), r.updatedAt(), r.id()
          });
    }
    sql.batch(
        "UPDATE heat_resource SET action = ?, status = ?, status_reason = ?, physical_id = ?, properties = ?,"
            + " data = ?, metadata = ?, nested_stack_id = ?, is_current = ?, replaced_by = ?, template_id = ?,"
            + " requires = ?, deletion_policy = ?, description = ?, updated_at = ? WHERE id = ?",
        args);
  }

  public void setHook(String id, String hook) {
    sql.update("UPDATE heat_resource SET hook = ? WHERE id = ?", hook, id);
  }

  /** Clears the hook if the resource waits on it; false if it does not. */
  public boolean clearHook(String id, String hook) {
    return sql.update("UPDATE heat_resource SET hook = NULL WHERE id = ? AND hook = ?", id, hook) == 1;
  }

  public Optional<String> hook(String id) {
    return sql.query("SELECT hook FROM heat_resource WHERE id = ? AND hook IS NOT NULL", row -> row.getString("hook"), id)
        .stream()
        .findFirst();
  }

  /** Marks a resource (un)healthy: Heat's CHECK_FAILED / CHECK_COMPLETE. */
  public boolean check(String id, StackStatus status, String reason, Instant now) {
    return sql.update(
            "UPDATE heat_resource SET action = ?, status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
            StackAction.CHECK, status, reason, now, id)
        == 1;
  }

  /** The stack's current resources, in the order they were made (template order). */
  public List<ResourceRow> current(String stackId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM heat_resource WHERE stack_id = ? AND is_current = TRUE ORDER BY created_at, name",
        ResourceStore::map,
        stackId);
  }

  /**
   * Rows that are no longer the stack's resource of their name but may still hold something: a
   * replaced generation not deleted yet (an update failed, or a crash, before its clean-up), or a
   * replacement that was rolled back.
   */
  public List<ResourceRow> leftovers(String stackId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM heat_resource WHERE stack_id = ? AND is_current = FALSE"
            + " AND NOT (action = 'DELETE' AND status = 'COMPLETE') ORDER BY created_at, name, generation",
        ResourceStore::map,
        stackId);
  }

  /** Every row of the stack, every generation. */
  public List<ResourceRow> all(String stackId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM heat_resource WHERE stack_id = ? ORDER BY created_at, name, generation",
        ResourceStore::map,
        stackId);
  }

  /** The current resources of several stacks (a tree listed with nested_depth). */
  public List<ResourceRow> current(Collection<String> stackIds) {
    if (stackIds.isEmpty()) {
      return List.of();
    }
    return sql.query(
        "SELECT " + COLUMNS + " FROM heat_resource WHERE is_current = TRUE AND stack_id IN "
            + Sql.placeholders(stackIds.size()) + " ORDER BY created_at, name",
        ResourceStore::map,
        stackIds.toArray());
  }

  public Optional<ResourceRow> current(String stackId, String name) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM heat_resource WHERE stack_id = ? AND name = ? AND is_current = TRUE",
        ResourceStore::map,
        stackId,
        name);
  }

  /** The highest generation of each resource name of a stack. */
  public java.util.Map<String, Integer> maxGenerations(String stackId) {
    java.util.Map<String, Integer> out = new java.util.HashMap<>();
    for (java.util.Map.Entry<String, Integer> e :
        sql.query(
            "SELECT name, MAX(generation) AS g FROM heat_resource WHERE stack_id = ? GROUP BY name",
            row -> java.util.Map.entry(row.getString("name"), row.getInt("g")),
            stackId)) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The highest generation of a resource name in a stack, or -1. */
  public int maxGeneration(String stackId, String name) {
    return sql.queryOne(
            "SELECT MAX(generation) AS g FROM heat_resource WHERE stack_id = ? AND name = ?",
            row -> row.getNullableInt("g"),
            stackId,
            name)
        .map(g -> g == null ? -1 : g)
        .orElse(-1);
  }

  public Optional<ResourceRow> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM heat_resource WHERE id = ?", ResourceStore::map, id);
  }

  private static ResourceRow map(Sql.Row row) throws SQLException {
    return new ResourceRow(
        row.getString("id"),
        row.getString("stack_id"),
        row.getString("name"),
        row.getInt("generation"),
        row.getBoolean("is_current"),
        row.getString("template_id"),
        row.getString("type"),
        StackAction.valueOf(row.getString("action")),
        StackStatus.valueOf(row.getString("status")),
        row.getString("status_reason"),
        row.getString("physical_id"),
        JsonColumns.readStrings(row.getString("requires")),
        JsonColumns.read(row.getString("properties")),
        (ObjectNode) JsonColumns.read(row.getString("data")),
        JsonColumns.read(row.getString("metadata")),
        row.getString("deletion_policy"),
        row.getString("hook"),
        row.getString("nested_stack_id"),
        row.getString("replaces"),
        row.getString("replaced_by"),
        row.getString("description"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"));
  }
}
