package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.groups.ServerGroup;
import dev.kiln.compute.groups.ServerGroups;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /os-server-groups}: create, list, show and delete. Before 2.64 a group has a list of
 * {@code policies} (one) and empty {@code metadata}; from 2.64 one {@code policy} and {@code
 * rules}. The soft policies need 2.15; {@code project_id} and {@code user_id} show from 2.13.
 */
final class ServerGroupsApi {
  private static final String GROUPS = "/v2.1/os-server-groups";
  private static final String GROUP = GROUPS + "/{group_id}";
  private static final List<String> HARD = List.of("anti-affinity", "affinity");
  private static final List<String> ALL = List.of("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity");

  private final ServerGroups groups;

  ServerGroupsApi(ServerGroups groups) {
    this.groups = requireNonNull(groups, "groups is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(GROUPS, Access.AUTHENTICATED, this::list)
        .post(GROUPS, Access.AUTHENTICATED, this::create)
        .get(GROUP, Access.AUTHENTICATED, this::show)
        .delete(GROUP, Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse create(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || !root.path("server_group").isObject()) {
      throw Nova.invalid("server_group", root.get("server_group"), "'server_group' is a required property");
    }
    JsonNode in = root.get("server_group");
    boolean v264 = Nova.atLeast(request, 64);
    Set<String> allowed = v264 ? Set.of("name", "policy", "rules") : Set.of("name", "policies");
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("server_group", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode name = in.get("name");
    if (name == null) {
      throw Nova.invalid("server_group", in, "'name' is a required property");
    }
    if (!name.isTextual()) {
      throw Nova.invalid("server_group/name", name, "is not of type 'string'");
    }
    String text = name.textValue();
    if (text.isEmpty() || text.length() > 255 || !text.strip().equals(text)) {
      throw Nova.invalid(
          "server_group/name", name, "must be 1 to 255 characters without leading or trailing whitespace");
    }
    List<String> policies = Nova.atLeast(request, 15) ? ALL : HARD;
    String policy;
    Integer maxPerHost = null;
    if (v264) {
      JsonNode p = in.get("policy");
      if (p == null) {
        throw Nova.invalid("server_group", in, "'policy' is a required property");
      }
      if (!p.isTextual() || !policies.contains(p.textValue())) {
        throw Nova.invalid("server_group/policy", p, "is not one of " + pythonList(policies));
      }
      policy = p.textValue();
      JsonNode rules = in.get("rules");
      if (rules != null) {
        maxPerHost = maxServerPerHost(rules);
      }
    } else {
      JsonNode p = in.get("policies");
      if (p == null) {
        throw Nova.invalid("server_group", in, "'policies' is a required property");
      }
      if (!p.isArray() || p.size() != 1) {
        throw Nova.invalid("server_group/policies", p, "must be a list of exactly one policy");
      }
      if (!p.get(0).isTextual() || !policies.contains(p.get(0).textValue())) {
        throw Nova.invalid("server_group/policies/0", p.get(0), "is not one of " + pythonList(policies));
      }
      policy = p.get(0).textValue();
    }
    ServerGroup group =
        groups.create(request.caller().actor(), text, ServerGroup.Policy.of(policy), maxPerHost);
    return ApiResponse.ok(Json.wrap("server_group", view(request, group)));
  }

  /** The 2.64 rules: only {@code max_server_per_host}, a positive integer (Nova takes "3" too). */
  private static Integer maxServerPerHost(JsonNode rules) {
    if (!rules.isObject()) {
      throw Nova.invalid("server_group/rules", rules, "is not of type 'object'");
    }
    for (Iterator<String> it = rules.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("max_server_per_host")) {
        throw Nova.invalid("server_group/rules", rules, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode max = rules.get("max_server_per_host");
    if (max == null) {
      return null;
    }
    int value;
    if (max.isIntegralNumber() && max.canConvertToInt()) {
      value = max.intValue();
    } else if (max.isTextual() && max.textValue().matches("[0-9]{1,9}")) {
      value = Integer.parseInt(max.textValue());
    } else {
      throw Nova.invalid("server_group/rules/max_server_per_host", max, "is not of type 'integer', 'string'");
    }
    if (value < 1) {
      throw Nova.invalid("server_group/rules/max_server_per_host", max, "is less than the minimum of 1");
    }
    return value;
  }

  private ApiResponse list(ApiRequest request) {
    boolean all = Nova.boolQuery(request, "all_projects");
    int offset = nonNegative(request, "offset", 0);
    int limit = nonNegative(request, "limit", Integer.MAX_VALUE);
    List<ServerGroup> found = groups.list(request.caller().actor(), all);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("server_groups");
    found.stream().skip(offset).limit(limit).forEach(g -> items.add(view(request, g)));
    return ApiResponse.ok(body);
  }

  private static int nonNegative(ApiRequest request, String name, int absent) {
    String raw = request.query(name).orElse(null);
    if (raw == null) {
      return absent;
    }
    if (!raw.matches("[0-9]{1,9}")) {
      throw ApiError.badRequest(
          "Invalid input for query parameters " + name + ". Value: " + raw + ". '" + raw
              + "' does not match '^[0-9]*$'");
    }
    return Integer.parseInt(raw);
  }

  private ApiResponse show(ApiRequest request) {
    ServerGroup group = groups.visible(request.caller().actor(), request.pathParam("group_id"));
    return ApiResponse.ok(Json.wrap("server_group", view(request, group)));
  }

  private ApiResponse delete(ApiRequest request) {
    groups.delete(request.caller().actor(), request.pathParam("group_id"));
    return ApiResponse.noContent();
  }

  private static ObjectNode view(ApiRequest request, ServerGroup g) {
    ObjectNode o = Json.object();
    o.put("id", g.id());
    o.put("name", g.name());
    if (Nova.atLeast(request, 64)) {
      o.put("policy", g.policy().novaName());
      ObjectNode rules = o.putObject("rules");
      if (g.maxServerPerHost() != null) {
        rules.put("max_server_per_host", g.maxServerPerHost());
      }
    } else {
      o.putArray("policies").add(g.policy().novaName());
      o.putObject("metadata");
    }
    ArrayNode members = o.putArray("members");
    g.members().forEach(members::add);
    if (Nova.atLeast(request, 13)) {
      o.put("project_id", g.projectId());
      o.put("user_id", g.userId());
    }
    return o;
  }

  private static String pythonList(List<String> values) {
    return "[" + String.join(", ", values.stream().map(v -> "'" + v + "'").toList()) + "]";
  }
}
