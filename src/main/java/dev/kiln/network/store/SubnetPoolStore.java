package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.AddressScope;
import dev.kiln.network.SubnetPool;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The subnet pool and address scope tables. The caller decides the transaction and the locks. */
public final class SubnetPoolStore {
  private static final String POOL_COLUMNS =
      "id, project_id, name, description, ip_version, default_prefixlen, min_prefixlen, max_prefixlen,"
          + " default_quota, address_scope_id, shared, is_default, revision_number, created_at, updated_at";
  private static final String SCOPE_COLUMNS =
      "id, project_id, name, ip_version, shared, revision_number, created_at, updated_at";

  private final Sql sql;

  public SubnetPoolStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Subnet pools

  public void insert(SubnetPool p) {
    sql.update(
        "INSERT INTO network_subnetpool (" + POOL_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id(), p.projectId(), p.name(), p.description(), p.ipVersion(), p.defaultPrefixlen(), p.minPrefixlen(),
        p.maxPrefixlen(), p.defaultQuota(), p.addressScopeId(), p.shared(), p.isDefault(), p.revision(),
        p.createdAt(), p.updatedAt());
    insertPrefixes(p);
  }

  public Optional<SubnetPool> find(String id) {
    return load(" WHERE id = ?", id).stream().findFirst();
  }

  /** Locks the pool's row: subnets are cut from one pool one at a time. */
  public Optional<SubnetPool> lock(String id) {
    return load(" WHERE id = ? FOR UPDATE", id).stream().findFirst();
  }

  public List<SubnetPool> list() {
    return load("");
  }

  /** The default pool of an IP version, if one is set. */
  public Optional<SubnetPool> findDefault(int ipVersion) {
    return load(" WHERE is_default = TRUE AND ip_version = ?", ipVersion).stream().findFirst();
  }

  public boolean update(SubnetPool p, long expectedRevision) {
    boolean saved =
        sql.update(
                "UPDATE network_subnetpool SET name = ?, description = ?, default_prefixlen = ?, min_prefixlen = ?,"
                    + " max_prefixlen = ?, default_quota = ?, address_scope_id = ?, shared = ?, is_default = ?,"
                    + " revision_number = ?, updated_at = ? WHERE id = ? AND revision_number = ?",
                p.name(), p.description(), p.defaultPrefixlen(), p.minPrefixlen(), p.maxPrefixlen(), p.defaultQuota(),
                p.addressScopeId(), p.shared(), p.isDefault(), p.revision(), p.updatedAt(), p.id(), expectedRevision)
            == 1;
    if (saved) {
      sql.update("DELETE FROM network_subnetpool_prefix WHERE subnetpool_id = ?", p.id());
      insertPrefixes(p);
    }
    return saved;
  }

  public int delete(String id) {
    return sql.update("DELETE FROM network_subnetpool WHERE id = ?", id);
  }

  /** The CIDRs of the subnets cut from the pool. */
  public List<String> allocatedCidrs(String poolId) {
    return sql.query("SELECT cidr FROM network_subnet WHERE subnetpool_id = ?", r -> r.getString("cidr"), poolId);
  }

  public long countInScope(String addressScopeId) {
    return sql.count("SELECT COUNT(*) FROM network_subnetpool WHERE address_scope_id = ?", addressScopeId);
  }

  private void insertPrefixes(SubnetPool p) {
    for (String cidr : p.prefixes()) {
      sql.update("INSERT INTO network_subnetpool_prefix (subnetpool_id, cidr) VALUES (?, ?)", p.id(), cidr);
    }
  }

  private List<SubnetPool> load(String where, Object... args) {
    List<SubnetPool> bare = sql.query("SELECT " + POOL_COLUMNS + " FROM network_subnetpool" + where, SubnetPoolStore::pool, args);
    if (bare.isEmpty()) {
      return bare;
    }
    Map<String, List<String>> prefixes = new LinkedHashMap<>();
    sql.query(
        "SELECT subnetpool_id, cidr FROM network_subnetpool_prefix WHERE subnetpool_id IN " + Sql.placeholders(bare.size()),
        r -> prefixes.computeIfAbsent(r.getString("subnetpool_id"), k -> new ArrayList<>()).add(r.getString("cidr")),
        bare.stream().map(SubnetPool::id).toArray());
    List<SubnetPool> out = new ArrayList<>();
    for (SubnetPool p : bare) {
      out.add(
          new SubnetPool(
              p.id(), p.projectId(), p.name(), p.description(), p.ipVersion(), prefixes.getOrDefault(p.id(), List.of()),
              p.defaultPrefixlen(), p.minPrefixlen(), p.maxPrefixlen(), p.defaultQuota(), p.addressScopeId(), p.shared(),
              p.isDefault(), p.revision(), p.createdAt(), p.updatedAt()));
    }
    return out;
  }

  private static SubnetPool pool(Sql.Row r) throws SQLException {
    return new SubnetPool(
        r.getString("id"), r.getString("project_id"), r.getString("name"), r.getString("description"),
        r.getInt("ip_version"), List.of(), r.getInt("default_prefixlen"), r.getInt("min_prefixlen"),
        r.getInt("max_prefixlen"), r.getNullableInt("default_quota"), r.getString("address_scope_id"),
        r.getBoolean("shared"), r.getBoolean("is_default"), r.getLong("revision_number"), r.getInstant("created_at"),
        r.getInstant("updated_at"));
  }

  // Address scopes

  public void insertScope(AddressScope s) {
    sql.update(
        "INSERT INTO network_address_scope (" + SCOPE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.projectId(), s.name(), s.ipVersion(), s.shared(), s.revision(), s.createdAt(), s.updatedAt());
  }

  public Optional<AddressScope> findScope(String id) {
    return sql.queryOne("SELECT " + SCOPE_COLUMNS + " FROM network_address_scope WHERE id = ?", SubnetPoolStore::scope, id);
  }

  public List<AddressScope> listScopes() {
    return sql.query("SELECT " + SCOPE_COLUMNS + " FROM network_address_scope", SubnetPoolStore::scope);
  }

  public boolean updateScope(AddressScope s, long expectedRevision) {
    return sql.update(
            "UPDATE network_address_scope SET name = ?, shared = ?, revision_number = ?, updated_at = ?"
                + " WHERE id = ? AND revision_number = ?",
            s.name(), s.shared(), s.revision(), s.updatedAt(), s.id(), expectedRevision)
        == 1;
  }

  /** Locks the scope's row, so that no pool joins it while it is deleted. */
  public boolean lockScope(String id) {
    return !sql.query("SELECT id FROM network_address_scope WHERE id = ? FOR UPDATE", r -> r.getString("id"), id).isEmpty();
  }

  public int deleteScope(String id) {
    return sql.update("DELETE FROM network_address_scope WHERE id = ?", id);
  }

  private static AddressScope scope(Sql.Row r) throws SQLException {
    return new AddressScope(
        r.getString("id"), r.getString("project_id"), r.getString("name"), r.getInt("ip_version"),
        r.getBoolean("shared"), r.getLong("revision_number"), r.getInstant("created_at"), r.getInstant("updated_at"));
  }
}
