package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.CatalogEndpoint;
import dev.kiln.identity.CatalogService;
import dev.kiln.identity.EndpointGroup;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Region;
import dev.kiln.store.Sql;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog tables admins change: regions, services, endpoints and endpoint groups. Nothing here
 * alters what a token may do (a token's catalog is read when the token is shown), so these changes
 * leave identity's revision alone.
 */
public final class CatalogStore {
  private static final String GROUP_COLUMNS =
      "id, name, description, filter_interface, filter_service_id, filter_region_id";
  private static final String ENDPOINT_COLUMNS = "id, service_id, interface, region_id, url, enabled, extra";

  private final Sql sql;

  public CatalogStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Regions

  public void insertRegion(Region r) {
    sql.update(
        "INSERT INTO identity_region (id, description, parent_region_id, extra) VALUES (?, ?, ?, ?)",
        r.id(), r.description(), r.parentRegionId(), r.extra());
  }

  public Optional<Region> findRegion(String id) {
    return sql.queryOne(
        "SELECT id, description, parent_region_id, extra FROM identity_region WHERE id = ?",
        CatalogStore::region,
        id);
  }

  /** The region's row, locked until the transaction ends. */
  public Optional<Region> lockRegion(String id) {
    return sql.queryOne(
        "SELECT id, description, parent_region_id, extra FROM identity_region WHERE id = ? FOR UPDATE",
        CatalogStore::region,
        id);
  }

  public List<Region> listRegions(ListFilter filter) {
    return sql.query(
        "SELECT id, description, parent_region_id, extra FROM identity_region" + filter.where() + " ORDER BY id",
        CatalogStore::region,
        filter.args());
  }

  public int updateRegion(Region r) {
    return sql.update(
        "UPDATE identity_region SET description = ?, parent_region_id = ?, extra = ? WHERE id = ?",
        r.description(), r.parentRegionId(), r.extra(), r.id());
  }

  public int deleteRegion(String id) {
    return sql.update("DELETE FROM identity_region WHERE id = ?", id);
  }

  public long countEndpointsInRegion(String regionId) {
    return sql.count("SELECT COUNT(*) FROM identity_endpoint WHERE region_id = ?", regionId);
  }

  // Services

  public void insertService(CatalogService s) {
    sql.update(
        "INSERT INTO identity_service (id, type, name, description, enabled, extra) VALUES (?, ?, ?, ?, ?, ?)",
        s.id(), s.type(), s.name(), s.description(), s.enabled(), s.extra());
  }

  public Optional<CatalogService> findService(String id) {
    return sql.queryOne(
        "SELECT id, type, name, description, enabled, extra FROM identity_service WHERE id = ?",
        CatalogStore::service,
        id);
  }

  public List<CatalogService> listServices(ListFilter filter) {
    return sql.query(
        "SELECT id, type, name, description, enabled, extra FROM identity_service" + filter.where() + " ORDER BY id",
        CatalogStore::service,
        filter.args());
  }

  public int updateService(CatalogService s) {
    return sql.update(
        "UPDATE identity_service SET type = ?, name = ?, description = ?, enabled = ?, extra = ? WHERE id = ?",
        s.type(), s.name(), s.description(), s.enabled(), s.extra(), s.id());
  }

  /** Deletes a service; its endpoints go with it (the foreign key cascades), as in Keystone. */
  public int deleteService(String id) {
    return sql.update("DELETE FROM identity_service WHERE id = ?", id);
  }

  // Endpoints

  public void insertEndpoint(CatalogEndpoint e) {
    sql.update(
        "INSERT INTO identity_endpoint (" + ENDPOINT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.id(), e.serviceId(), e.iface(), e.regionId(), e.url(), e.enabled(), e.extra());
  }

  public Optional<CatalogEndpoint> findEndpoint(String id) {
    return sql.queryOne(
        "SELECT " + ENDPOINT_COLUMNS + " FROM identity_endpoint WHERE id = ?", CatalogStore::endpoint, id);
  }

  public List<CatalogEndpoint> listEndpoints(ListFilter filter) {
    return sql.query(
        "SELECT " + ENDPOINT_COLUMNS + " FROM identity_endpoint" + filter.where() + " ORDER BY id",
        CatalogStore::endpoint,
        filter.args());
  }

  public int updateEndpoint(CatalogEndpoint e) {
    return sql.update(
        "UPDATE identity_endpoint SET service_id = ?, interface = ?, region_id = ?, url = ?, enabled = ?,"
            + " extra = ? WHERE id = ?",
        e.serviceId(), e.iface(), e.regionId(), e.url(), e.enabled(), e.extra(), e.id());
  }

  public int deleteEndpoint(String id) {
    return sql.update("DELETE FROM identity_endpoint WHERE id = ?", id);
  }

  // Endpoint groups

  public void insertEndpointGroup(EndpointGroup g) {
    sql.update(
        "INSERT INTO identity_endpoint_group (id, name, description, filter_interface, filter_service_id,"
            + " filter_region_id) VALUES (?, ?, ?, ?, ?, ?)",
        g.id(), g.name(), g.description(), g.filters().get("interface"), g.filters().get("service_id"),
        g.filters().get("region_id"));
  }

  public Optional<EndpointGroup> findEndpointGroup(String id) {
    return sql.queryOne(
        "SELECT " + GROUP_COLUMNS + " FROM identity_endpoint_group WHERE id = ?",
        CatalogStore::endpointGroup,
        id);
  }

  public List<EndpointGroup> listEndpointGroups() {
    return sql.query(
        "SELECT " + GROUP_COLUMNS + " FROM identity_endpoint_group ORDER BY name, id",
        CatalogStore::endpointGroup);
  }

  public int updateEndpointGroup(EndpointGroup g) {
    return sql.update(
        "UPDATE identity_endpoint_group SET name = ?, description = ?, filter_interface = ?, filter_service_id = ?,"
            + " filter_region_id = ? WHERE id = ?",
        g.name(), g.description(), g.filters().get("interface"), g.filters().get("service_id"),
        g.filters().get("region_id"), g.id());
  }

  public int deleteEndpointGroup(String id) {
    return sql.update("DELETE FROM identity_endpoint_group WHERE id = ?", id);
  }

  // Row mappers

  private static Region region(Sql.Row r) throws java.sql.SQLException {
    return new Region(r.getString("id"), r.getString("description"), r.getString("parent_region_id"), r.getString("extra"));
  }

  private static CatalogService service(Sql.Row r) throws java.sql.SQLException {
    return new CatalogService(
        r.getString("id"), r.getString("type"), r.getString("name"), r.getString("description"),
        r.getBoolean("enabled"), r.getString("extra"), false);
  }

  private static CatalogEndpoint endpoint(Sql.Row r) throws java.sql.SQLException {
    return new CatalogEndpoint(
        r.getString("id"), r.getString("service_id"), r.getString("interface"), r.getString("region_id"),
        r.getString("url"), r.getBoolean("enabled"), r.getString("extra"), false);
  }

  private static EndpointGroup endpointGroup(Sql.Row r) throws java.sql.SQLException {
    Map<String, String> filters = new LinkedHashMap<>();
    for (String key : new String[] {"interface", "service_id", "region_id"}) {
      String value = r.getString("filter_" + key);
      if (value != null) {
        filters.put(key, value);
      }
    }
    return new EndpointGroup(r.getString("id"), r.getString("name"), r.getString("description"), filters);
  }
}
