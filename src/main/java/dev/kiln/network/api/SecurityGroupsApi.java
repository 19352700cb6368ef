package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Caller;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.SecurityGroup;
import dev.kiln.network.SecurityGroupRule;
import dev.kiln.network.SecurityGroups;
import java.time.Instant;
import java.util.List;

/**
 * Neutron's {@code /v2.0/security-groups} and {@code /v2.0/security-group-rules}: JSON in and out,
 * every check and rule in {@link SecurityGroups}.
 */
public final class SecurityGroupsApi {
  private static final String GROUPS = "/v2.0/security-groups";
  private static final String RULES = "/v2.0/security-group-rules";

  private final SecurityGroups securityGroups;
  private final dev.kiln.network.Tags tags;

  public SecurityGroupsApi(SecurityGroups securityGroups, dev.kiln.network.Tags tags) {
    this.securityGroups = requireNonNull(securityGroups, "securityGroups is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  public void register(ApiRoutes routes) {
    routes
        .get(GROUPS, Access.AUTHENTICATED, this::listGroups)
        .post(GROUPS, Access.AUTHENTICATED, this::createGroup)
        .get(GROUPS + "/{id}", Access.AUTHENTICATED, this::showGroup)
        .put(GROUPS + "/{id}", Access.AUTHENTICATED, this::updateGroup)
        .delete(GROUPS + "/{id}", Access.AUTHENTICATED, this::deleteGroup)
        .get(RULES, Access.AUTHENTICATED, this::listRules)
        .post(RULES, Access.AUTHENTICATED, this::createRule)
        .get(RULES + "/{id}", Access.AUTHENTICATED, this::showRule)
        .delete(RULES + "/{id}", Access.AUTHENTICATED, this::deleteRule);
  }

  // Groups

  private ApiResponse listGroups(ApiRequest request) {
    java.util.Optional<dev.kiln.network.Listing> listing =
        NeutronListQuery.listing(request, SecurityGroups::listableBy, false);
    if (listing.isPresent()) {
      List<SecurityGroup> page = securityGroups.page(actor(request), projectFilter(request), listing.get());
      java.util.Map<String, List<String>> tagged = tags.of(page.stream().map(SecurityGroup::id).toList());
      List<ObjectNode> rendered = page.stream().map(g -> group(g, tagged.getOrDefault(g.id(), List.of()))).toList();
      return ApiResponse.ok(NeutronListQuery.answerPage(request, "security_groups", url(request, GROUPS), rendered));
    }
    java.util.Map<String, List<String>> tagged = tags.ofKind("security_groups");
    List<ObjectNode> all =
        securityGroups.list(actor(request), projectFilter(request)).stream()
            .map(g -> group(g, tagged.getOrDefault(g.id(), List.of())))
            .toList();
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "security_groups", url(request, GROUPS), all));
  }

  private ApiResponse showGroup(ApiRequest request) {
    SecurityGroup group = securityGroups.get(actor(request), request.pathParam("id"));
    return ApiResponse.ok(Json.wrap("security_group", NeutronListQuery.fields(request, group(group, tags.of(group.id())))));
  }

  private ApiResponse createGroup(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "security_group");
    in.allowOnly("name", "description", "stateful", "project_id", "tenant_id");
    SecurityGroup group =
        securityGroups.create(
            actor(request),
            new SecurityGroups.GroupSpec(
                project(in),
                NeutronInput.text(in, "name"),
                NeutronInput.text(in, "description"),
                in.optionalBoolean("stateful").orElse(null)));
    return ApiResponse.created(Json.wrap("security_group", group(group, List.of())));
  }

  private ApiResponse updateGroup(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "security_group");
    in.allowOnly("name", "description", "stateful");
    SecurityGroup group =
        securityGroups.update(
            actor(request),
            request.pathParam("id"),
            new SecurityGroups.GroupSpec(
                null,
                NeutronInput.text(in, "name"),
                NeutronInput.text(in, "description"),
                in.optionalBoolean("stateful").orElse(null)));
    return ApiResponse.ok(Json.wrap("security_group", group(group, tags.of(group.id()))));
  }

  private ApiResponse deleteGroup(ApiRequest request) {
    securityGroups.delete(actor(request), request.pathParam("id"));
    return ApiResponse.noContent();
  }

  // Rules

  private ApiResponse listRules(ApiRequest request) {
    List<ObjectNode> all =
        securityGroups.rules(actor(request), projectFilter(request)).stream()
            .map(SecurityGroupsApi::rule)
            .toList();
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "security_group_rules", url(request, RULES), all));
  }

  private ApiResponse showRule(ApiRequest request) {
    SecurityGroupRule rule = securityGroups.rule(actor(request), request.pathParam("id"));
    return ApiResponse.ok(
        Json.wrap("security_group_rule", NeutronListQuery.fields(request, rule(rule))));
  }

  private ApiResponse createRule(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "security_group_rule");
    in.allowOnly(
        "security_group_id", "direction", "ethertype", "protocol", "port_range_min",
        "port_range_max", "remote_ip_prefix", "remote_group_id", "remote_address_group_id",
        "description", "project_id", "tenant_id");
    JsonNode body = request.body().get("security_group_rule");
    SecurityGroupRule rule =
        securityGroups.createRule(
            actor(request),
            new SecurityGroups.RuleSpec(
                project(in),
                in.optionalString("security_group_id").orElse(null),
                in.optionalString("direction").orElse(null),
                in.optionalString("ethertype").orElse(null),
                protocol(body.get("protocol")),
                port(body.get("port_range_min")),
                port(body.get("port_range_max")),
                emptyIsNull(in.optionalString("remote_ip_prefix").orElse(null)),
                emptyIsNull(in.optionalString("remote_group_id").orElse(null)),
                emptyIsNull(in.optionalString("remote_address_group_id").orElse(null)),
                in.optionalString("description").orElse(null)));
    return ApiResponse.created(Json.wrap("security_group_rule", rule(rule)));
  }

  private ApiResponse deleteRule(ApiRequest request) {
    securityGroups.deleteRule(actor(request), request.pathParam("id"));
    return ApiResponse.noContent();
  }

  // Views

  static ObjectNode group(SecurityGroup g, List<String> tagList) {
    ObjectNode o = Json.object();
    o.put("id", g.id());
    o.put("name", g.name());
    o.put("description", g.description());
    o.put("tenant_id", g.projectId());
    o.put("project_id", g.projectId());
    o.put("stateful", g.stateful());
    o.put("shared", false);
    ArrayNode rules = o.putArray("security_group_rules");
    g.rules().forEach(r -> rules.add(rule(r)));
    NetworkViews.tags(o, tagList);
    timestamps(o, g.createdAt(), g.updatedAt(), g.revision());
    return o;
  }

  static ObjectNode rule(SecurityGroupRule r) {
    ObjectNode o = Json.object();
    o.put("id", r.id());
    o.put("security_group_id", r.securityGroupId());
    o.put("direction", r.direction().value());
    o.put("ethertype", r.ethertype().value());
    o.put("protocol", r.protocol());
    o.put("port_range_min", r.portRangeMin());
    o.put("port_range_max", r.portRangeMax());
    o.put("remote_ip_prefix", r.remoteIpPrefix());
    o.put("normalized_cidr", r.normalizedCidr());
    o.put("remote_group_id", r.remoteGroupId());
    o.put("remote_address_group_id", r.remoteAddressGroupId());
    o.put("description", r.description());
    o.put("tenant_id", r.projectId());
    o.put("project_id", r.projectId());
    o.put("belongs_to_default_sg", r.inDefaultGroup());
    timestamps(o, r.createdAt(), r.updatedAt(), r.revision());
    return o;
  }

  private static void timestamps(ObjectNode o, Instant created, Instant updated, long revision) {
    o.put("created_at", created.toString());
    o.put("updated_at", updated.toString());
    o.put("revision_number", revision);
  }

  // Reading requests

  private static Actor actor(ApiRequest request) {
    Caller caller = request.caller();
    return new Actor(caller.projectId(), caller.userId(), caller.isAdmin());
  }

  /** The project a list is about, which Neutron makes sure has its default group. */
  private static String projectFilter(ApiRequest request) {
    return request.query("project_id").or(() -> request.query("tenant_id")).orElse(null);
  }

  /** {@code project_id} or its old name {@code tenant_id}, which must agree when both are given. */
  private static String project(JsonInput in) {
    String projectId = in.optionalString("project_id").orElse(null);
    String tenantId = in.optionalString("tenant_id").orElse(null);
    if (projectId != null && tenantId != null && !projectId.equals(tenantId)) {
      throw ApiError.badRequest("'project_id' and 'tenant_id' do not match");
    }
    return projectId != null ? projectId : tenantId;
  }

  /** The protocol as text: Neutron takes a name or a number, given as a string or a number. */
  private static String protocol(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() || value.isTextual()) {
      return value.asText();
    }
    throw ApiError.badRequest(
        "SecurityGroupRuleInvalidProtocol",
        "Security group rule protocol " + value + " not supported. Only protocol names and integer"
            + " representations [0 to 255] are supported.");
  }

  /** A port as Neutron reads it: a whole number, or a string of digits; null for none. */
  private static Integer port(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.intValue();
    }
    if (value.isTextual() && value.textValue().trim().matches("\\d{1,9}")) {
      return Integer.valueOf(value.textValue().trim());
    }
    throw ApiError.badRequest(
        "SecurityGroupInvalidPortValue", "Invalid value for port " + value.asText());
  }

  private static String emptyIsNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static String url(ApiRequest request, String collection) {
    return request.baseUrl() + NetworkApi.PREFIX + collection;
  }
}
