package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.attach.ServerSecurityGroups;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.network.SecurityGroup;
import dev.kiln.network.SecurityGroupRule;
import java.util.Map;

/**
 * Nova's {@code /os-security-groups} proxy to Networking (removed in 2.36: 404 from then on): list
 * (the project's, {@code all_tenants} for admins), show, create and delete, each group shown the
 * Nova way with its ingress rules (Nova shows no egress rules). {@code openstack server add
 * security group} finds its group here. The rules proxy ({@code /os-security-group-rules}) and
 * {@code /servers/{id}/os-security-groups} are not served yet.
 */
final class SecurityGroupsProxyApi {
  private static final String GROUPS = "/v2.1/os-security-groups";

  private final ServerSecurityGroups groups;

  SecurityGroupsProxyApi(ServerSecurityGroups groups) {
    this.groups = requireNonNull(groups, "groups is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(GROUPS, Access.AUTHENTICATED, this::list)
        .post(GROUPS, Access.AUTHENTICATED, this::create)
        .get(GROUPS + "/{id}", Access.AUTHENTICATED, this::show)
        .delete(GROUPS + "/{id}", Access.AUTHENTICATED, this::delete);
  }

  private static void before236(ApiRequest request) {
    if (Nova.atLeast(request, 36)) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  private ApiResponse list(ApiRequest request) {
    before236(request);
    var actor = request.caller().actor();
    Map<String, SecurityGroup> names = groups.byId(actor);
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("security_groups");
    groups.groups(actor, Nova.boolQuery(request, "all_tenants")).forEach(g -> all.add(view(g, names)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    before236(request);
    var actor = request.caller().actor();
    return ApiResponse.ok(
        Json.wrap("security_group", view(groups.group(actor, request.pathParam("id")), groups.byId(actor))));
  }

  private ApiResponse create(ApiRequest request) {
    before236(request);
    JsonNode group = request.body().path("security_group");
    if (!group.isObject()) {
      throw ApiError.badRequest("security_group not specified");
    }
    String name = text(group, "name");
    String description = text(group, "description");
    var actor = request.caller().actor();
    return ApiResponse.ok(Json.wrap("security_group", view(groups.createGroup(actor, name, description), groups.byId(actor))));
  }

  private static String text(JsonNode group, String field) {
    JsonNode v = group.get(field);
    if (v == null || !v.isTextual()) {
      throw ApiError.badRequest("Security group " + field + " is not a string or unicode");
    }
    if (v.textValue().length() > 255) {
      throw ApiError.badRequest("Security group " + field + " should not be greater than 255 characters.");
    }
    return v.textValue();
  }

  private ApiResponse delete(ApiRequest request) {
    before236(request);
    groups.deleteGroup(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.accepted(null);
  }

  private static ObjectNode view(SecurityGroup g, Map<String, SecurityGroup> names) {
    ObjectNode o = Json.object();
    o.put("id", g.id());
    o.put("name", g.name());
    o.put("description", g.description() == null ? "" : g.description());
    o.put("tenant_id", g.projectId());
    ArrayNode rules = o.putArray("rules");
    for (SecurityGroupRule r : g.rules()) {
      if (r.direction() != SecurityGroupRule.Direction.INGRESS) {
        continue;
      }
      ObjectNode rule = rules.addObject();
      rule.put("id", r.id());
      rule.put("parent_group_id", r.securityGroupId());
      rule.put("ip_protocol", r.protocol());
      boolean wholeRange = r.protocol() != null && r.portRangeMin() == null && r.portRangeMax() == null;
      if (wholeRange) {
        boolean ports = r.protocol().equalsIgnoreCase("tcp") || r.protocol().equalsIgnoreCase("udp");
        rule.put("from_port", ports ? 1 : -1);
        rule.put("to_port", ports ? 65535 : -1);
      } else {
        putInt(rule, "from_port", r.portRangeMin());
        putInt(rule, "to_port", r.portRangeMax());
      }
      ObjectNode remote = rule.putObject("group");
      ObjectNode range = rule.putObject("ip_range");
      if (r.remoteGroupId() != null) {
        SecurityGroup peer = names.get(r.remoteGroupId());
        if (peer != null) {
          remote.put("name", peer.name());
          remote.put("tenant_id", peer.projectId());
        }
      } else {
        range.put("cidr", r.remoteIpPrefix() == null ? "0.0.0.0/0" : r.remoteIpPrefix());
      }
    }
    return o;
  }

  private static void putInt(ObjectNode o, String field, Integer value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
