package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.GroupType;
import dev.kiln.volume.VolumeTypeSort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The group type tables: one statement a call (two for a read with specs), the caller's transaction. */
public final class GroupTypeStore {
  private final Sql sql;

  public GroupTypeStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts a group type with its specs; a taken name is a duplicate key. */
  public void insert(GroupType type, Instant createdAt) {
    sql.update(
        "INSERT INTO volume_group_type (id, name, description, is_public, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, NULL)",
        type.id(), type.name(), type.description(), type.isPublic(), createdAt);
    type.groupSpecs().forEach((key, value) -> putSpec(type.id(), key, value));
  }

  public Optional<GroupType> find(String id) {
    return sql.queryOne(
            "SELECT id, name, description, is_public FROM volume_group_type WHERE id = ?",
            r -> new GroupType(r.getString("id"), r.getString("name"), r.getString("description"),
                r.getBoolean("is_public"), Map.of()),
            id)
        .map(bare -> new GroupType(bare.id(), bare.name(), bare.description(), bare.isPublic(), specs(bare.id())));
  }

  /** Locks the group type's row until the transaction ends; answers whether it exists. */
  public boolean lock(String id) {
    return !sql.query("SELECT id FROM volume_group_type WHERE id = ? FOR UPDATE", r -> r.getString("id"), id).isEmpty();
  }

  /** The group types, only public or private ones unless {@code isPublic} is null, in {@code sorts} then id order. */
  public List<GroupType> list(Boolean isPublic, List<VolumeTypeSort> sorts) {
    StringBuilder order = new StringBuilder(" ORDER BY ");
    for (VolumeTypeSort sort : sorts) {
      order.append(column(sort.key())).append(sort.ascending() ? " ASC, " : " DESC, ");
    }
    order.append("id ASC");
    String select = "SELECT id, name, description, is_public FROM volume_group_type";
    Sql.RowMapper<GroupType> bare =
        r -> new GroupType(r.getString("id"), r.getString("name"), r.getString("description"), r.getBoolean("is_public"), Map.of());
    List<GroupType> types =
        isPublic == null ? sql.query(select + order, bare) : sql.query(select + " WHERE is_public = ?" + order, bare, isPublic);
    Map<String, Map<String, String>> specs = new LinkedHashMap<>();
    sql.query(
        "SELECT group_type_id, spec_key, spec_value FROM volume_group_type_spec ORDER BY group_type_id, spec_key",
        r -> specs.computeIfAbsent(r.getString("group_type_id"), k -> new LinkedHashMap<>())
            .put(r.getString("spec_key"), r.getString("spec_value")));
    List<GroupType> out = new ArrayList<>(types.size());
    for (GroupType t : types) {
      out.add(new GroupType(t.id(), t.name(), t.description(), t.isPublic(), specs.getOrDefault(t.id(), Map.of())));
    }
    return out;
  }

  /** Changes a group type's attributes; a taken name is a duplicate key. */
  public int update(String id, String name, String description, boolean isPublic, Instant at) {
    return sql.update(
        "UPDATE volume_group_type SET name = ?, description = ?, is_public = ?, updated_at = ? WHERE id = ?",
        name, description, isPublic, at, id);
  }

  public int delete(String id) {
    return sql.update("DELETE FROM volume_group_type WHERE id = ?", id);
  }

  public Map<String, String> specs(String id) {
    Map<String, String> specs = new LinkedHashMap<>();
    sql.query(
        "SELECT spec_key, spec_value FROM volume_group_type_spec WHERE group_type_id = ? ORDER BY spec_key",
        r -> specs.put(r.getString("spec_key"), r.getString("spec_value")),
        id);
    return specs;
  }

  /** Sets one spec; run it holding the type's {@link #lock}, so two writers never insert one key. */
  public void putSpec(String id, String key, String value) {
    if (sql.update(
            "UPDATE volume_group_type_spec SET spec_value = ? WHERE group_type_id = ? AND spec_key = ?", value, id, key)
        == 0) {
      sql.update(
          "INSERT INTO volume_group_type_spec (group_type_id, spec_key, spec_value) VALUES (?, ?, ?)", id, key, value);
    }
  }

  public int deleteSpec(String id, String key) {
    return sql.update("DELETE FROM volume_group_type_spec WHERE group_type_id = ? AND spec_key = ?", id, key);
  }

  private static String column(VolumeTypeSort.Key key) {
    return switch (key) {
      case ID -> "id";
      case NAME -> "name";
      case DESCRIPTION -> "description";
      case IS_PUBLIC -> "is_public";
      case CREATED_AT -> "created_at";
      case UPDATED_AT -> "updated_at";
    };
  }
}
