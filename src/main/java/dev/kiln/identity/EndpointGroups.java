package dev.kiln.identity;

import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.store.CatalogStore;
import dev.kiln.store.Database;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OS-EP-FILTER endpoint groups: named filters over the catalog's endpoints. Keystone accepts only
 * the filters {@code interface}, {@code service_id} and {@code region_id}, each a string.
 */
public final class EndpointGroups {
  static final Set<String> FILTERS = Set.of("interface", "service_id", "region_id");

  private final Database db;
  private final IdGenerator ids;

  public EndpointGroups(Database db, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  private CatalogStore store() {
    return new CatalogStore(db.sql());
  }

  public EndpointGroup create(String name, String description, Map<String, String> filters) {
    EndpointGroup group = new EndpointGroup(ids.hex(), name, description == null ? "" : description, check(filters));
    store().insertEndpointGroup(group);
    return group;
  }

  public EndpointGroup group(String id) {
    return store()
        .findEndpointGroup(id)
        .orElseThrow(() -> notFound("EndpointGroupNotFound", "Could not find endpoint group: " + id + "."));
  }

  public List<EndpointGroup> groups() {
    return store().listEndpointGroups();
  }

  /** Changes a group; a null argument keeps what was there. */
  public EndpointGroup update(String id, String name, String description, Map<String, String> filters) {
    EndpointGroup old = group(id);
    EndpointGroup updated =
        new EndpointGroup(
            id,
            name == null ? old.name() : name,
            description == null ? old.description() : description,
            filters == null ? old.filters() : check(filters));
    if (store().updateEndpointGroup(updated) == 0) {
      throw notFound("EndpointGroupNotFound", "Could not find endpoint group: " + id + ".");
    }
    return updated;
  }

  public void delete(String id) {
    if (store().deleteEndpointGroup(id) == 0) {
      throw notFound("EndpointGroupNotFound", "Could not find endpoint group: " + id + ".");
    }
  }

  private static Map<String, String> check(Map<String, String> filters) {
    if (filters.isEmpty()) {
      throw invalid("ValidationError", "Invalid input for field 'filters': give at least one of interface, service_id, region_id.");
    }
    for (Map.Entry<String, String> f : filters.entrySet()) {
      if (!FILTERS.contains(f.getKey())) {
        throw invalid(
            "ValidationError",
            "Invalid input for field 'filters': '" + f.getKey() + "' is not one of interface, service_id, region_id.");
      }
      if (f.getKey().equals("interface") && !Catalog.INTERFACES.contains(f.getValue())) {
        throw invalid(
            "ValidationError",
            "Invalid input for field 'filters/interface': '" + f.getValue() + "' is not one of public, internal, admin.");
      }
    }
    return filters;
  }
}
