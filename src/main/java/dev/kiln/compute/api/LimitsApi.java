package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.quotas.ComputeQuotas.Quota;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /limits}: the project's quotas as absolute limits and what it uses, under Nova's
 * names; admins name another project with {@code tenant_id}. Kiln has no rate limits.
 */
final class LimitsApi {
  /** Each quota's limit names, as Nova's limits view has them. */
  private static final Map<String, List<String>> LIMIT_NAMES = limitNames();
  /** Each usage name and its quota. */
  private static final Map<String, String> USED_NAMES = usedNames();
  private static final Set<String> GONE_IN_236 = Set.of("floating_ips", "security_groups", "security_group_rules");
  private static final Set<String> GONE_IN_257 =
      Set.of("floating_ips", "security_groups", "security_group_rules", "injected_files", "injected_file_content_bytes");

  private final ComputeQuotas quotas;

  LimitsApi(ComputeQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  void register(ApiRoutes routes) {
    routes.get("/v2.1/limits", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse show(ApiRequest request) {
    Nova.onlyQuery(request, 75, "tenant_id");
    Map<String, Quota> project =
        quotas.absoluteLimits(request.caller().actor(), request.query("tenant_id").orElse(null));
    Set<String> gone = Nova.atLeast(request, 57) ? GONE_IN_257 : Nova.atLeast(request, 36) ? GONE_IN_236 : Set.of();
    ObjectNode absolute = Json.object();
    LIMIT_NAMES.forEach(
        (resource, names) -> {
          Quota quota = project.get(resource);
          if (quota == null || gone.contains(resource)) {
            return;
          }
          for (String name : names) {
            // maxImageMeta left with the image proxy API in 2.39.
            if (!name.equals("maxImageMeta") || !Nova.atLeast(request, 39)) {
              absolute.put(name, quota.limit());
            }
          }
        });
    USED_NAMES.forEach(
        (name, resource) -> {
          Quota quota = project.get(resource);
          if (quota != null && !gone.contains(resource)) {
            absolute.put(name, quota.inUse());
          }
        });
    ObjectNode limits = Json.object();
    limits.putArray("rate");
    limits.set("absolute", absolute);
    return ApiResponse.ok(Json.wrap("limits", limits));
  }

  private static Map<String, List<String>> limitNames() {
    Map<String, List<String>> names = new LinkedHashMap<>();
    names.put("ram", List.of("maxTotalRAMSize"));
    names.put("instances", List.of("maxTotalInstances"));
    names.put("cores", List.of("maxTotalCores"));
    names.put("key_pairs", List.of("maxTotalKeypairs"));
    names.put("floating_ips", List.of("maxTotalFloatingIps"));
    names.put("metadata_items", List.of("maxServerMeta", "maxImageMeta"));
    names.put("injected_files", List.of("maxPersonality"));
    names.put("injected_file_content_bytes", List.of("maxPersonalitySize"));
    names.put("security_groups", List.of("maxSecurityGroups"));
    names.put("security_group_rules", List.of("maxSecurityGroupRules"));
    names.put("server_groups", List.of("maxServerGroups"));
    names.put("server_group_members", List.of("maxServerGroupMembers"));
    return names;
  }

  private static Map<String, String> usedNames() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("totalRAMUsed", "ram");
    names.put("totalCoresUsed", "cores");
    names.put("totalInstancesUsed", "instances");
    names.put("totalFloatingIpsUsed", "floating_ips");
    names.put("totalSecurityGroupsUsed", "security_groups");
    names.put("totalServerGroupsUsed", "server_groups");
    return names;
  }
}
