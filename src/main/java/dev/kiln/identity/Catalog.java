package dev.kiln.identity;

import static dev.kiln.common.ServiceException.conflict;
import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.store.CatalogStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keystone's catalog: regions, services and endpoints. Kiln's own services ({@link
 * ServiceCatalog}) are listed first and are fixed (their URLs follow the address each request
 * reached Kiln at, so they live in code); what admins add is stored and may be changed and deleted,
 * and appears in tokens' catalogs as in Keystone. Endpoint groups live in {@link EndpointGroups}.
 */
public final class Catalog {
  public static final Set<String> INTERFACES = Set.copyOf(ServiceCatalog.INTERFACES);

  private final Database db;
  private final IdGenerator ids;

  public Catalog(Database db, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  private CatalogStore store() {
    return new CatalogStore(db.sql());
  }

  // Regions

  /** Creates a region, with the id given or a new one; a parent that does not exist is a 404. */
  public Region createRegion(String id, String description, String parentRegionId, String extra) {
    Region region = new Region(id == null ? ids.hex() : id, description == null ? "" : description, parentRegionId, extra);
    if (parentRegionId != null) {
      region(parentRegionId);
    }
    try {
      store().insertRegion(region);
    } catch (StoreException e) {
      throw switch (e.kind()) {
        case DUPLICATE -> conflict("Conflict", "Conflict occurred attempting to store region - Duplicate ID, " + region.id() + ".");
        case REFERENCED -> notFound("RegionNotFound", "Could not find region: " + parentRegionId + ".");
        default -> e;
      };
    }
    return region;
  }

  public Region region(String id) {
    return store().findRegion(id).orElseThrow(() -> notFound("RegionNotFound", "Could not find region: " + id + "."));
  }

  public List<Region> regions(ListFilter filter) {
    return store().listRegions(filter);
  }

  /**
   * Changes a region's description or parent ({@code parentRegionId} empty string: none). A parent
   * that is the region itself or one of its descendants would make a loop: 400.
   */
  public Region updateRegion(String id, String description, String parentRegionId, String extra) {
    return db.inTransaction(
        sql -> {
          CatalogStore store = new CatalogStore(sql);
          Region old =
              store.lockRegion(id).orElseThrow(() -> notFound("RegionNotFound", "Could not find region: " + id + "."));
          String parent = parentRegionId == null ? old.parentRegionId() : parentRegionId.isEmpty() ? null : parentRegionId;
          if (parent != null && parentRegionId != null) {
            Set<String> seen = new HashSet<>();
            for (String at = parent; at != null; ) {
              if (at.equals(id) || !seen.add(at)) {
                throw invalid(
                    "CircularRegionHierarchyError",
                    "Region " + id + " cannot have " + parent + " as its parent: " + parent
                        + " is the region itself or below it, which would make the region tree a loop.");
              }
              String current = at;
              at = store.findRegion(at)
                  .orElseThrow(() -> notFound("RegionNotFound", "Could not find region: " + current + "."))
                  .parentRegionId();
            }
          }
          Region updated =
              new Region(id, description == null ? old.description() : description, parent, extra == null ? old.extra() : extra);
          store.updateRegion(updated);
          return updated;
        });
  }

  /**
   * Deletes a region with the regions below it, as Keystone does; refused (403) while it or one of
   * them has endpoints, Kiln's own included (they are in {@link ServiceCatalog#REGION}).
   */
  public void deleteRegion(String id) {
    region(id);
    try {
      db.inTransaction(
          sql -> {
            CatalogStore store = new CatalogStore(sql);
            store.lockRegion(id).orElseThrow(() -> notFound("RegionNotFound", "Could not find region: " + id + "."));
            List<String> subtree = new ArrayList<>();
            List<String> frontier = List.of(id);
            while (!frontier.isEmpty()) {
              List<String> next = new ArrayList<>();
              for (String r : frontier) {
                if (subtree.contains(r)) {
                  continue;
                }
                subtree.add(r);
                if (r.equals(ServiceCatalog.REGION) || store.countEndpointsInRegion(r) > 0) {
                  throw regionInUse(id);
                }
                store.listRegions(ListFilter.none().eq("parent_region_id", r)).forEach(c -> next.add(c.id()));
              }
              frontier = next;
            }
            for (String r : subtree.reversed()) {
              store.deleteRegion(r);
            }
            return null;
          });
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.REFERENCED) {
        throw regionInUse(id); // an endpoint or a child region arrived meanwhile
      }
      throw e;
    }
  }

  private static RuntimeException regionInUse(String id) {
    return forbidden(
        "RegionDeletionError",
        "Unable to delete region " + id + ": it or one of the regions below it has endpoints; delete or move them first.");
  }

  // Services

  public CatalogService createService(String type, String name, String description, boolean enabled, String extra) {
    CatalogService service = new CatalogService(ids.hex(), type, name, description, enabled, extra, false);
    store().insertService(service);
    return service;
  }

  public CatalogService service(String id) {
    for (ServiceCatalog.Service s : ServiceCatalog.SERVICES) {
      if (s.id().equals(id)) {
        return builtIn(s);
      }
    }
    return store().findService(id).orElseThrow(() -> notFound("ServiceNotFound", "Could not find service: " + id + "."));
  }

  /** Kiln's services, then the stored ones, each filtered by type and name when given. */
  public List<CatalogService> services(String type, String name) {
    List<CatalogService> out = new ArrayList<>();
    for (ServiceCatalog.Service s : ServiceCatalog.SERVICES) {
      if ((type == null || type.equals(s.type())) && (name == null || name.equals(s.name()))) {
        out.add(builtIn(s));
      }
    }
    out.addAll(store().listServices(ListFilter.none().eq("type", type).eq("name", name)));
    return out;
  }

  /** Changes a stored service; a null argument keeps what was there. */
  public CatalogService updateService(String id, String type, String name, String description, Boolean enabled, String extra) {
    CatalogService old = changeable(service(id));
    CatalogService updated =
        new CatalogService(
            id,
            type == null ? old.type() : type,
            name == null ? old.name() : name,
            description == null ? old.description() : description,
            enabled == null ? old.enabled() : enabled,
            extra == null ? old.extra() : extra,
            false);
    if (store().updateService(updated) == 0) {
      throw notFound("ServiceNotFound", "Could not find service: " + id + ".");
    }
    return updated;
  }

  /** Deletes a stored service and its endpoints. */
  public void deleteService(String id) {
    changeable(service(id));
    if (store().deleteService(id) == 0) {
      throw notFound("ServiceNotFound", "Could not find service: " + id + ".");
    }
  }

  private static CatalogService changeable(CatalogService s) {
    if (s.builtIn()) {
      throw forbidden(
          "ForbiddenAction",
          "Service " + s.id() + " (" + s.type() + ") is one Kiln serves itself; its catalog entry cannot be changed or deleted.");
    }
    return s;
  }

  private static CatalogService builtIn(ServiceCatalog.Service s) {
    return new CatalogService(s.id(), s.type(), s.name(), "", true, "{}", true);
  }

  // Endpoints

  /**
   * Adds an endpoint to a stored service. A region that does not exist yet is created, as Keystone
   * does for the region an endpoint names.
   */
  public CatalogEndpoint createEndpoint(
      String serviceId, String iface, String url, String regionId, boolean enabled, String extra) {
    CatalogEndpoint endpoint = new CatalogEndpoint(ids.hex(), serviceId, iface, regionId, url, enabled, extra, false);
    checkEndpoint(endpoint);
    try {
      store().insertEndpoint(endpoint);
    } catch (StoreException e) {
      throw referenced(e, endpoint);
    }
    return endpoint;
  }

  public CatalogEndpoint endpoint(String baseUrl, String id) {
    for (CatalogEndpoint e : builtInEndpoints(baseUrl)) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    return store().findEndpoint(id).orElseThrow(() -> notFound("EndpointNotFound", "Could not find endpoint: " + id + "."));
  }

  /** Kiln's endpoints, then the stored ones, filtered by interface, service and region when given. */
  public List<CatalogEndpoint> endpoints(String baseUrl, String iface, String serviceId, String regionId) {
    List<CatalogEndpoint> out = new ArrayList<>();
    for (CatalogEndpoint e : builtInEndpoints(baseUrl)) {
      if ((iface == null || iface.equals(e.iface()))
          && (serviceId == null || serviceId.equals(e.serviceId()))
          && (regionId == null || regionId.equals(e.regionId()))) {
        out.add(e);
      }
    }
    out.addAll(
        store().listEndpoints(ListFilter.none().eq("interface", iface).eq("service_id", serviceId).eq("region_id", regionId)));
    return out;
  }

  /** Changes a stored endpoint; a null argument keeps what was there. */
  public CatalogEndpoint updateEndpoint(
      String baseUrl, String id, String serviceId, String iface, String url, String regionId, Boolean enabled, String extra) {
    CatalogEndpoint old = endpoint(baseUrl, id);
    if (old.builtIn()) {
      throw forbidden(
          "ForbiddenAction", "Endpoint " + id + " is one of Kiln's own; it cannot be changed or deleted.");
    }
    CatalogEndpoint updated =
        new CatalogEndpoint(
            id,
            serviceId == null ? old.serviceId() : serviceId,
            iface == null ? old.iface() : iface,
            regionId == null ? old.regionId() : regionId,
            url == null ? old.url() : url,
            enabled == null ? old.enabled() : enabled,
            extra == null ? old.extra() : extra,
            false);
    checkEndpoint(updated);
    try {
      if (store().updateEndpoint(updated) == 0) {
        throw notFound("EndpointNotFound", "Could not find endpoint: " + id + ".");
      }
    } catch (StoreException e) {
      throw referenced(e, updated);
    }
    return updated;
  }

  public void deleteEndpoint(String baseUrl, String id) {
    if (endpoint(baseUrl, id).builtIn()) {
      throw forbidden(
          "ForbiddenAction", "Endpoint " + id + " is one of Kiln's own; it cannot be changed or deleted.");
    }
    if (store().deleteEndpoint(id) == 0) {
      throw notFound("EndpointNotFound", "Could not find endpoint: " + id + ".");
    }
  }

  private void checkEndpoint(CatalogEndpoint e) {
    if (!INTERFACES.contains(e.iface())) {
      throw invalid(
          "ValidationError",
          "Invalid input for field 'interface': '" + e.iface() + "' is not one of public, internal, admin.");
    }
    CatalogService service;
    try {
      service = service(e.serviceId());
    } catch (dev.kiln.common.ServiceException notThere) {
      throw invalid("ValidationError", "Invalid input for field 'service_id': could not find service " + e.serviceId() + ".");
    }
    if (service.builtIn()) {
      throw forbidden(
          "ForbiddenAction",
          "Service " + service.id() + " (" + service.type() + ") is one Kiln serves itself; its endpoints are fixed.");
    }
    if (e.regionId() != null && store().findRegion(e.regionId()).isEmpty()) {
      try {
        store().insertRegion(new Region(e.regionId(), "", null, "{}"));
      } catch (StoreException raced) {
        if (raced.kind() != StoreException.Kind.DUPLICATE) {
          throw raced; // made by a parallel request: just as good
        }
      }
    }
  }

  private static RuntimeException referenced(StoreException e, CatalogEndpoint endpoint) {
    if (e.kind() == StoreException.Kind.REFERENCED) {
      return invalid(
          "ValidationError",
          "Service " + endpoint.serviceId() + " or region " + endpoint.regionId() + " was deleted while the endpoint was being stored.");
    }
    return e;
  }

  private static List<CatalogEndpoint> builtInEndpoints(String baseUrl) {
    List<CatalogEndpoint> out = new ArrayList<>();
    for (ServiceCatalog.Service s : ServiceCatalog.SERVICES) {
      for (String iface : ServiceCatalog.INTERFACES) {
        // Keystone stores templated URLs; clients substitute the project themselves.
        String url = baseUrl + s.path().replace("{project_id}", "$(project_id)s");
        out.add(new CatalogEndpoint(s.endpointId(iface), s.id(), iface, ServiceCatalog.REGION, url, true, "{}", true));
      }
    }
    return out;
  }

  // A token's catalog

  /**
   * What a token's catalog lists: Kiln's services, then each enabled stored service with its
   * enabled endpoints. {@code $(project_id)s} and {@code $(tenant_id)s} become the token's project;
   * an endpoint that needs a project is left out of a token that has none, as Keystone does, and a
   * service left without endpoints is left out too. Two reads, only when a catalog is shown.
   */
  public List<CatalogEntry> forToken(String baseUrl, String projectId) {
    List<CatalogEntry> out = new ArrayList<>();
    for (ServiceCatalog.Service s : ServiceCatalog.SERVICES) {
      List<CatalogEntry.Endpoint> endpoints = new ArrayList<>();
      for (String iface : ServiceCatalog.INTERFACES) {
        endpoints.add(new CatalogEntry.Endpoint(s.endpointId(iface), iface, ServiceCatalog.REGION, s.url(baseUrl, projectId)));
      }
      out.add(new CatalogEntry(s.id(), s.type(), s.name(), endpoints));
    }
    CatalogStore store = store();
    Map<String, List<CatalogEndpoint>> byService = new java.util.HashMap<>();
    for (CatalogEndpoint e : store.listEndpoints(ListFilter.none().eq("enabled", true))) {
      byService.computeIfAbsent(e.serviceId(), k -> new ArrayList<>()).add(e);
    }
    for (CatalogService s : store.listServices(ListFilter.none().eq("enabled", true))) {
      List<CatalogEntry.Endpoint> endpoints = new ArrayList<>();
      for (CatalogEndpoint e : byService.getOrDefault(s.id(), List.of())) {
        String url = resolve(e.url(), projectId);
        if (url != null) {
          endpoints.add(new CatalogEntry.Endpoint(e.id(), e.iface(), e.regionId(), url));
        }
      }
      if (!endpoints.isEmpty()) {
        out.add(new CatalogEntry(s.id(), s.type(), s.name() == null ? "" : s.name(), endpoints));
      }
    }
    return out;
  }

  /** The URL with the project put in, or null when it needs a project and there is none. */
  static String resolve(String url, String projectId) {
    boolean needsProject = url.contains("$(project_id)s") || url.contains("$(tenant_id)s");
    if (!needsProject) {
      return url;
    }
    if (projectId == null) {
      return null;
    }
    return url.replace("$(project_id)s", projectId).replace("$(tenant_id)s", projectId);
  }
}
