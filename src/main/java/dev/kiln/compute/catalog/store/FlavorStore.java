package dev.kiln.compute.catalog.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.catalog.Flavor;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The flavor tables: flavors, their extra specs and access lists. */
public final class FlavorStore {
  private static final String COLUMNS =
      "id, seq, name, vcpus, ram_mb, disk_gb, ephemeral_gb, swap_mb, rxtx_factor, is_public, disabled, description";

  private final Sql sql;

  public FlavorStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts a flavor (its seq comes from the database); a taken id or name is a duplicate key. */
  public void insert(Flavor f, Instant now) {
    sql.update(
        "INSERT INTO compute_flavor (id, name, vcpus, ram_mb, disk_gb, ephemeral_gb, swap_mb, rxtx_factor,"
            + " is_public, disabled, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        f.id(), f.name(), f.vcpus(), f.ramMb(), f.diskGb(), f.ephemeralGb(), f.swapMb(), f.rxtxFactor(),
        f.isPublic(), f.disabled(), f.description(), now);
    f.extraSpecs().forEach((key, value) -> putExtraSpec(f.id(), key, value));
  }

  public Optional<Flavor> find(String id) {
    List<Flavor> bare = sql.query("SELECT " + COLUMNS + " FROM compute_flavor WHERE id = ?", FlavorStore::bare, id);
    if (bare.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> specs = new HashMap<>();
    sql.query(
        "SELECT spec_key, spec_value FROM compute_flavor_extra_spec WHERE flavor_id = ?",
        row -> specs.put(row.getString("spec_key"), row.getString("spec_value")),
        id);
    Set<String> projects = new HashSet<>();
    sql.query(
        "SELECT project_id FROM compute_flavor_access WHERE flavor_id = ?",
        row -> projects.add(row.getString("project_id")),
        id);
    return Optional.of(complete(bare.getFirst(), specs, projects));
  }

  /** Every flavor with its extra specs and access list, in creation order. */
  public List<Flavor> list() {
    List<Flavor> bare = sql.query("SELECT " + COLUMNS + " FROM compute_flavor ORDER BY seq", FlavorStore::bare);
    Map<String, Map<String, String>> specs = new HashMap<>();
    sql.query(
        "SELECT flavor_id, spec_key, spec_value FROM compute_flavor_extra_spec",
        row ->
            specs.computeIfAbsent(row.getString("flavor_id"), k -> new HashMap<>())
                .put(row.getString("spec_key"), row.getString("spec_value")));
    Map<String, Set<String>> access = new HashMap<>();
    sql.query(
        "SELECT flavor_id, project_id FROM compute_flavor_access",
        row -> access.computeIfAbsent(row.getString("flavor_id"), k -> new HashSet<>()).add(row.getString("project_id")));
    List<Flavor> out = new ArrayList<>(bare.size());
    for (Flavor f : bare) {
      out.add(complete(f, specs.getOrDefault(f.id(), Map.of()), access.getOrDefault(f.id(), Set.of())));
    }
    return out;
  }

  /** Locks the flavor's row until the transaction ends; answers whether it exists. */
  public boolean lock(String id) {
    return !sql.query("SELECT id FROM compute_flavor WHERE id = ? FOR UPDATE", r -> r.getString("id"), id).isEmpty();
  }

  public int updateDescription(String id, String description, Instant now) {
    return sql.update("UPDATE compute_flavor SET description = ?, updated_at = ? WHERE id = ?", description, now, id);
  }

  public int touch(String id, Instant now) {
    return sql.update("UPDATE compute_flavor SET updated_at = ? WHERE id = ?", now, id);
  }

  /** Deletes a flavor with its extra specs and access list. */
  public int delete(String id) {
    return sql.update("DELETE FROM compute_flavor WHERE id = ?", id);
  }

  /** Sets one extra spec; run it holding the flavor's {@link #lock}. */
  public void putExtraSpec(String id, String key, String value) {
    int changed =
        sql.update(
            "UPDATE compute_flavor_extra_spec SET spec_value = ? WHERE flavor_id = ? AND spec_key = ?", value, id, key);
    if (changed == 0) {
      sql.update("INSERT INTO compute_flavor_extra_spec (flavor_id, spec_key, spec_value) VALUES (?, ?, ?)", id, key, value);
    }
  }

  public int deleteExtraSpec(String id, String key) {
    return sql.update("DELETE FROM compute_flavor_extra_spec WHERE flavor_id = ? AND spec_key = ?", id, key);
  }

  /** Gives a project access; a project that has it already is a duplicate key. */
  public void insertAccess(String id, String projectId) {
    sql.update("INSERT INTO compute_flavor_access (flavor_id, project_id) VALUES (?, ?)", id, projectId);
  }

  public int deleteAccess(String id, String projectId) {
    return sql.update("DELETE FROM compute_flavor_access WHERE flavor_id = ? AND project_id = ?", id, projectId);
  }

  private static Flavor complete(Flavor f, Map<String, String> specs, Set<String> projects) {
    return new Flavor(
        f.id(), f.seq(), f.name(), f.vcpus(), f.ramMb(), f.diskGb(), f.ephemeralGb(), f.swapMb(), f.rxtxFactor(),
        f.isPublic(), f.disabled(), f.description(), specs, projects);
  }

  private static Flavor bare(Sql.Row row) throws SQLException {
    return new Flavor(
        row.getString("id"),
        row.getInt("seq"),
        row.getString("name"),
        row.getInt("vcpus"),
        row.getInt("ram_mb"),
        row.getInt("disk_gb"),
        row.getInt("ephemeral_gb"),
        row.getInt("swap_mb"),
        Double.parseDouble(row.getString("rxtx_factor")),
        row.getBoolean("is_public"),
        row.getBoolean("disabled"),
        row.getString("description"),
        Map.of(),
        Set.of());
  }
}
