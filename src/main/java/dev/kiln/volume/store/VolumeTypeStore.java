package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.VolumeType;
import dev.kiln.volume.VolumeTypeSort;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The volume type tables. Only the volume service uses this class; every statement is one SQL
 * round trip and the caller decides the transaction.
 */
public final class VolumeTypeStore {
  private static final String TYPE_COLUMNS = "id, name, description, is_public, qos_specs_id";

  private final Sql sql;

  public VolumeTypeStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts a type with its extra specs; a taken name is a duplicate key. */
  public void insert(VolumeType type, Instant createdAt) {
    sql.update(
        "INSERT INTO volume_type (id, name, description, is_public, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL)",
        type.id(), type.name(), type.description(), type.isPublic(), createdAt);
    type.extraSpecs().forEach((key, value) -> insertExtraSpec(type.id(), key, value));
  }

  /**
   * The type with its extra specs, in one statement (the type's row repeated beside each spec):
   * every volume create and every volume shown reads its type, so a second query per read was a
   * statement more on each of them.
   */
  public Optional<VolumeType> find(String id) {
    List<Object[]> rows =
        sql.query(
            "SELECT t.id, t.name, t.description, t.is_public, t.qos_specs_id, s.spec_key, s.spec_value FROM volume_type t"
                + " LEFT JOIN volume_type_extra_spec s ON s.volume_type_id = t.id WHERE t.id = ? ORDER BY s.spec_key",
            row -> new Object[] {bare(row), row.getString("spec_key"), row.getString("spec_value")},
            id);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    VolumeType bare = (VolumeType) rows.getFirst()[0];
    Map<String, String> specs = new LinkedHashMap<>();
    for (Object[] row : rows) {
      if (row[1] != null) {
        specs.put((String) row[1], (String) row[2]);
      }
    }
    return Optional.of(new VolumeType(bare.id(), bare.name(), bare.description(), bare.isPublic(), specs, bare.qosSpecsId()));
  }

  public Optional<VolumeType> findByName(String name) {
    return sql.queryOne(
            "SELECT " + TYPE_COLUMNS + " FROM volume_type WHERE name = ?", VolumeTypeStore::bare, name)
        .map(this::withExtraSpecs);
  }

  /**
   * Locks the type's row until the transaction ends, so that changes to one type's extra specs,
   * and its deletion, happen one at a time; answers whether the type exists.
   */
  public boolean lock(String id) {
    return !sql.query("SELECT id FROM volume_type WHERE id = ? FOR UPDATE", r -> r.getString("id"), id)
        .isEmpty();
  }

  /**
   * The types, optionally only the public or only the private ones, ordered by {@code sorts} and
   * then by id.
   */
  public List<VolumeType> list(Boolean isPublic, List<VolumeTypeSort> sorts) {
    StringBuilder order = new StringBuilder(" ORDER BY ");
    for (VolumeTypeSort sort : sorts) {
      order.append(column(sort.key())).append(sort.ascending() ? " ASC, " : " DESC, ");
    }
    order.append("id ASC");
    List<VolumeType> bare =
        isPublic == null
            ? sql.query("SELECT " + TYPE_COLUMNS + " FROM volume_type" + order, VolumeTypeStore::bare)
            : sql.query(
                "SELECT " + TYPE_COLUMNS + " FROM volume_type WHERE is_public = ?" + order,
                VolumeTypeStore::bare,
                isPublic);
    Map<String, Map<String, String>> specs = new LinkedHashMap<>();
    sql.query(
        "SELECT volume_type_id, spec_key, spec_value FROM volume_type_extra_spec ORDER BY volume_type_id, spec_key",
        row -> {
          specs.computeIfAbsent(row.getString("volume_type_id"), k -> new LinkedHashMap<>())
              .put(row.getString("spec_key"), row.getString("spec_value"));
          return null;
        });
    List<VolumeType> out = new ArrayList<>(bare.size());
    for (VolumeType t : bare) {
      out.add(new VolumeType(t.id(), t.name(), t.description(), t.isPublic(), specs.getOrDefault(t.id(), Map.of()), t.qosSpecsId()));
    }
    return out;
  }

  /** The private types a project was given access to. */
  public List<String> typesOfProject(String projectId) {
    return sql.query(
        "SELECT volume_type_id FROM volume_type_project WHERE project_id = ?", row -> row.getString("volume_type_id"), projectId);
  }

  /** The projects a private type is open to. */
  public List<String> projectsOf(String typeId) {
    return sql.query(
        "SELECT project_id FROM volume_type_project WHERE volume_type_id = ? ORDER BY project_id",
        row -> row.getString("project_id"), typeId);
  }

  public void addProject(String typeId, String projectId) {
    sql.update("INSERT INTO volume_type_project (volume_type_id, project_id) VALUES (?, ?)", typeId, projectId);
  }

  public int removeProject(String typeId, String projectId) {
    return sql.update("DELETE FROM volume_type_project WHERE volume_type_id = ? AND project_id = ?", typeId, projectId);
  }

  /** The names of every type, for the per-type quotas. */
  public List<String> names() {
    return sql.query("SELECT name FROM volume_type ORDER BY name", r -> r.getString("name"));
  }

  /** Changes a type's attributes; a taken name is a duplicate key. Answers how many rows changed. */
  public int update(String id, String name, String description, boolean isPublic, Instant at) {
    return sql.update(
        "UPDATE volume_type SET name = ?, description = ?, is_public = ?, updated_at = ? WHERE id = ?",
        name, description, isPublic, at, id);
  }

  /** Deletes a type with its extra specs; answers how many rows went. */
  public int delete(String id) {
    return sql.update("DELETE FROM volume_type WHERE id = ?", id);
  }

  /** Marks the type changed, for extra spec changes. */
  public int touch(String id, Instant at) {
    return sql.update("UPDATE volume_type SET updated_at = ? WHERE id = ?", at, id);
  }

  // Extra specs

  public Map<String, String> extraSpecs(String typeId) {
    Map<String, String> specs = new LinkedHashMap<>();
    sql.query(
        "SELECT spec_key, spec_value FROM volume_type_extra_spec WHERE volume_type_id = ? ORDER BY spec_key",
        row -> specs.put(row.getString("spec_key"), row.getString("spec_value")),
        typeId);
    return specs;
  }

  /**
   * Sets one extra spec, replacing its value if the key is already there. Run it holding the
   * type's {@link #lock}, which keeps two writers from inserting the same key at once.
   */
  public void putExtraSpec(String typeId, String key, String value) {
    int changed =
        sql.update(
            "UPDATE volume_type_extra_spec SET spec_value = ? WHERE volume_type_id = ? AND spec_key = ?",
            value, typeId, key);
    if (changed == 0) {
      insertExtraSpec(typeId, key, value);
    }
  }

  /** Removes one extra spec; answers how many rows went. */
  public int deleteExtraSpec(String typeId, String key) {
    return sql.update(
        "DELETE FROM volume_type_extra_spec WHERE volume_type_id = ? AND spec_key = ?", typeId, key);
  }

  private void insertExtraSpec(String typeId, String key, String value) {
    sql.update(
        "INSERT INTO volume_type_extra_spec (volume_type_id, spec_key, spec_value) VALUES (?, ?, ?)",
        typeId, key, value);
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

  private VolumeType withExtraSpecs(VolumeType bare) {
    return new VolumeType(bare.id(), bare.name(), bare.description(), bare.isPublic(), extraSpecs(bare.id()), bare.qosSpecsId());
  }

  private static VolumeType bare(Sql.Row row) throws SQLException {
    return new VolumeType(
        row.getString("id"), row.getString("name"), row.getString("description"), row.getBoolean("is_public"), Map.of(),
        row.getString("qos_specs_id"));
  }
}
