package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tags of Networking's resources, and the standard attributes (revision number, updated time) of
 * the resource a tag change belongs to. The caller decides the transaction.
 */
public final class TagStore {
  /** The table of each taggable kind, by the kind's collection name. */
  private static final Map<String, String> TABLES =
      Map.of(
          "networks", "network_network",
          "subnets", "network_subnet",
          "ports", "network_port",
          "routers", "network_router",
          "floatingips", "network_floatingip",
          "security_groups", "network_security_group",
          "subnetpools", "network_subnetpool",
          "trunks", "network_trunk");

  private final Sql sql;

  public TagStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Whether this kind of resource takes tags. */
  public static boolean isTaggable(String kind) {
    return TABLES.containsKey(kind);
  }

  /** The project that owns the resource, if it exists. */
  public Optional<String> owner(String kind, String id) {
    return sql.queryOne("SELECT project_id FROM " + table(kind) + " WHERE id = ?", r -> r.getString("project_id"), id);
  }

  /**
   * Locks the resource's row and counts a change of it: one more revision, updated now. Answers
   * whether it exists.
   */
  public boolean touch(String kind, String id, Instant now) {
    return sql.update(
            "UPDATE " + table(kind) + " SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?", now, id)
        == 1;
  }

  /** The resource's tags, sorted. */
  public List<String> tags(String id) {
    return sql.query("SELECT tag FROM network_tag WHERE resource_id = ? ORDER BY tag", r -> r.getString("tag"), id);
  }

  /** The tags of every resource of a kind, by resource id. */
  public Map<String, List<String>> tagsOfKind(String kind) {
    Map<String, List<String>> out = new HashMap<>();
    sql.query(
        "SELECT resource_id, tag FROM network_tag WHERE resource_kind = ? ORDER BY tag",
        r -> out.computeIfAbsent(r.getString("resource_id"), k -> new ArrayList<>()).add(r.getString("tag")),
        kind);
    return out;
  }

  /** The tags of these resources (at least one id), by resource id. */
  public Map<String, List<String>> tagsOf(Collection<String> ids) {
    Object[] args = new LinkedHashSet<>(ids).toArray();
    Map<String, List<String>> out = new HashMap<>();
    sql.query(
        "SELECT resource_id, tag FROM network_tag WHERE resource_id IN " + Sql.placeholders(args.length) + " ORDER BY tag",
        r -> out.computeIfAbsent(r.getString("resource_id"), k -> new ArrayList<>()).add(r.getString("tag")),
        args);
    return out;
  }

  /** Adds a tag unless the resource has it; answers whether it was added. */
  public boolean add(String kind, String id, String tag) {
    if (sql.count("SELECT COUNT(*) FROM network_tag WHERE resource_id = ? AND tag = ?", id, tag) > 0) {
      return false;
    }
    sql.update("INSERT INTO network_tag (resource_kind, resource_id, tag) VALUES (?, ?, ?)", kind, id, tag);
    return true;
  }

  public int remove(String id, String tag) {
    return sql.update("DELETE FROM network_tag WHERE resource_id = ? AND tag = ?", id, tag);
  }

  public int removeAll(String id) {
    return sql.update("DELETE FROM network_tag WHERE resource_id = ?", id);
  }

  private static String table(String kind) {
    String table = TABLES.get(kind);
    if (table == null) {
      throw new IllegalArgumentException("not a taggable kind: " + kind);
    }
    return table;
  }
}
