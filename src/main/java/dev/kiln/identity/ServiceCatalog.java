package dev.kiln.identity;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The services Kiln serves and where, as Keystone's catalog lists them. All share one port, under
 * DevStack's path prefixes, so a client configured for DevStack finds them where it expects.
 */
public final class ServiceCatalog {
  public static final String REGION = "RegionOne";
  public static final List<String> INTERFACES = List.of("public", "internal", "admin");

  /**
   * One catalog entry.
   *
   * @param path where the service answers below the base URL; {@code {project_id}} is replaced by
   *     the token's project, as Keystone does for Cinder and Heat
   */
  public record Service(String type, String name, String path) {
    public String id() {
      return stableId("service:" + type);
    }

    public String endpointId(String iface) {
      return stableId("endpoint:" + type + ":" + iface);
    }

    /** The endpoint URL; without a project, the {@code {project_id}} segment is left out. */
    public String url(String baseUrl, String projectId) {
      String resolved =
          projectId == null
              ? path.replace("/AUTH_{project_id}", "").replace("/{project_id}", "")
              : path.replace("{project_id}", projectId);
      return baseUrl + resolved;
    }
  }

  public static final List<Service> SERVICES =
      List.of(
          new Service("identity", "keystone", "/identity"),
          new Service("compute", "nova", "/compute/v2.1"),
          new Service("network", "neutron", "/networking"),
          new Service("volumev3", "cinderv3", "/volume/v3/{project_id}"),
          new Service("block-storage", "cinder", "/volume/v3/{project_id}"),
          new Service("image", "glance", "/image"),
          new Service("orchestration", "heat", "/heat-api/v1/{project_id}"),
          new Service("cloudformation", "heat-cfn", "/heat-api-cfn/v1"),
          new Service("object-store", "swift", "/object-store/v1/AUTH_{project_id}"));

  private ServiceCatalog() {}

  /** Ids that stay the same across restarts and nodes, so clients may cache them. */
  private static String stableId(String key) {
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
  }
}
