package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.attach.ServerSecurityGroups;
import dev.kiln.compute.proxy.NovaSecurityGroup;
import dev.kiln.compute.proxy.NovaSecurityGroupRule;
import dev.kiln.compute.proxy.SecurityGroupProxy;
import dev.kiln.compute.proxy.SecurityGroupProxy.RuleRequest;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Comparator;
import java.util.List;

/**
 * Nova's security group proxies to Networking, which 2.36 removed (404 from then on):
 * {@code /os-security-groups} (list with {@code all_tenants} for admins, show, create, update,
 * delete) and {@code /os-security-group-rules} (create, delete); and {@code
 * /servers/{id}/os-security-groups}, which every microversion serves. {@code openstack server add
 * security group} finds its group here.
 */
final class SecurityGroupsProxyApi {
  private static final String GROUPS = "/v2.1/os-security-groups";
  private static final String RULES = "/v2.1/os-security-group-rules";
  private static final Comparator<NovaSecurityGroup> NOVA_ORDER =
      Comparator.comparing(NovaSecurityGroup::projectId).thenComparing(NovaSecurityGroup::name);

  private final SecurityGroupProxy groups;
  private final ServerSecurityGroups servers;

  SecurityGroupsProxyApi(SecurityGroupProxy groups, ServerSecurityGroups servers) {
    this.groups = requireNonNull(groups, "groups is null");
    this.servers = requireNonNull(servers, "servers is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(GROUPS, Access.AUTHENTICATED, this::list)
        .post(GROUPS, Access.AUTHENTICATED, this::create)
        .get(GROUPS + "/{id}", Access.AUTHENTICATED, this::show)
        .put(GROUPS + "/{id}", Access.AUTHENTICATED, this::update)
        .delete(GROUPS + "/{id}", Access.AUTHENTICATED, this::delete)
        .post(RULES, Access.AUTHENTICATED, this::createRule)
        .delete(RULES + "/{id}", Access.AUTHENTICATED, this::deleteRule)
        .get("/v2.1/servers/{server_id}/os-security-groups", Access.AUTHENTICATED, this::ofServer);
  }

  private static void before236(ApiRequest request) {
    if (Nova.atLeast(request, 36)) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  /** Nova pages the list first, then sorts the page by project and name. */
  private ApiResponse list(ApiRequest request) {
    before236(request);
    OffsetPaging.limited(request, List.of()); // checks limit and offset before anything is read
    // As Nova: the parameter's presence asks for all projects, whatever its value.
    boolean all = false;
    for (String name : request.queryNames()) {
      all |= name.equals("all_tenants");
    }
    List<NovaSecurityGroup> page = OffsetPaging.limited(request, groups.list(request.caller().actor(), all));
    return ApiResponse.ok(sorted(page));
  }

  private ApiResponse show(ApiRequest request) {
    before236(request);
    return ApiResponse.ok(Json.wrap("security_group", view(groups.get(request.caller().actor(), request.pathParam("id")))));
  }

  private ApiResponse create(ApiRequest request) {
    before236(request);
    JsonNode group = groupBody(request);
    NovaSecurityGroup made =
        groups.create(request.caller().actor(), text(group, "name"), text(group, "description"));
    return ApiResponse.ok(Json.wrap("security_group", view(made)));
  }

  private ApiResponse update(ApiRequest request) {
    before236(request);
    JsonNode group = groupBody(request);
    NovaSecurityGroup updated =
        groups.update(
            request.caller().actor(), request.pathParam("id"), text(group, "name"), text(group, "description"));
    return ApiResponse.ok(Json.wrap("security_group", view(updated)));
  }

  private ApiResponse delete(ApiRequest request) {
    before236(request);
    groups.delete(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.accepted(null);
  }

  private ApiResponse createRule(ApiRequest request) {
    before236(request);
    JsonNode body = request.body();
    JsonNode rule = body == null ? null : body.get("security_group_rule");
    if (rule == null || !rule.isObject()) {
      throw Nova.invalid(
          "security_group_rule", rule, rule == null ? "'security_group_rule' is a required property" : "is not of type 'object'");
    }
    JsonNode parent = rule.get("parent_group_id");
    if (parent == null) {
      throw Nova.invalid("security_group_rule", rule, "'parent_group_id' is a required property");
    }
    uuid("parent_group_id", parent, false);
    JsonNode group = rule.get("group_id");
    uuid("group_id", group, true);
    RuleRequest asked =
        new RuleRequest(
            parent.textValue(),
            group == null || group.isNull() ? null : group.textValue(),
            loose(rule.get("ip_protocol")),
            loose(rule.get("from_port")),
            loose(rule.get("to_port")),
            loose(rule.get("cidr")));
    return ApiResponse.ok(Json.wrap("security_group_rule", view(groups.createRule(request.caller().actor(), asked))));
  }

  private ApiResponse deleteRule(ApiRequest request) {
    before236(request);
    groups.deleteRule(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.accepted(null);
  }

  private ApiResponse ofServer(ApiRequest request) {
    var actor = request.caller().actor();
    return ApiResponse.ok(sorted(groups.shown(actor, servers.ofServer(actor, request.pathParam("server_id")))));
  }

  private static ObjectNode sorted(List<NovaSecurityGroup> found) {
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("security_groups");
    found.stream().sorted(NOVA_ORDER).forEach(g -> all.add(view(g)));
    return body;
  }

  private static JsonNode groupBody(ApiRequest request) {
    JsonNode body = request.body();
    JsonNode group = body == null ? null : body.get("security_group");
    if (group == null || !group.isObject()) {
      throw Nova.invalid(
          "security_group", group, group == null ? "'security_group' is a required property" : "is not of type 'object'");
    }
    return group;
  }

  /** name and description: required strings of at most 255 characters (Nova's schema). */
  private static String text(JsonNode group, String field) {
    JsonNode v = group.get(field);
    if (v == null) {
      throw Nova.invalid("security_group", group, "'" + field + "' is a required property");
    }
    if (!v.isTextual()) {
      throw Nova.invalid(field, v, v + " is not of type 'string'");
    }
    if (v.textValue().length() > 255) {
      throw Nova.invalid(field, v, v + " is too long");
    }
    return v.textValue();
  }

  private static void uuid(String field, JsonNode value, boolean nullable) {
    if (value == null || (nullable && value.isNull())) {
      return;
    }
    if (!value.isTextual()) {
      throw Nova.invalid(field, value, value + " is not of type 'string'" + (nullable ? ", 'null'" : ""));
    }
    if (!Nova.isUuidLike(value.textValue())) {
      throw Nova.invalid(field, value, "'" + value.textValue() + "' is not a 'uuid'");
    }
  }

  /**
   * Nova's schema leaves ip_protocol, the ports and cidr unchecked and reads them as Python would:
   * numbers and text alike (a float's whole part, as int() takes it); the proxy then checks them.
   */
  private static String loose(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return Long.toString((long) value.doubleValue());
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "1" : "0";
    }
    return value.toString();
  }

  private static ObjectNode view(NovaSecurityGroup g) {
    ObjectNode o = Json.object();
    o.put("id", g.id());
    o.put("name", g.name());
    o.put("description", g.description());
    o.put("tenant_id", g.projectId());
    ArrayNode rules = o.putArray("rules");
    g.rules().forEach(r -> rules.add(view(r)));
    return o;
  }

  private static ObjectNode view(NovaSecurityGroupRule r) {
    ObjectNode rule = Json.object();
    rule.put("id", r.id());
    rule.put("parent_group_id", r.parentGroupId());
    rule.put("ip_protocol", r.protocol());
    putInt(rule, "from_port", r.fromPort());
    putInt(rule, "to_port", r.toPort());
    ObjectNode remote = rule.putObject("group");
    ObjectNode range = rule.putObject("ip_range");
    if (r.peer() != null) {
      remote.put("name", r.peer().name());
      remote.put("tenant_id", r.peer().projectId());
    } else if (r.cidr() != null) {
      range.put("cidr", r.cidr());
    }
    return rule;
  }

  private static void putInt(ObjectNode o, String field, Integer value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
