package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.AddressScope;
import dev.kiln.network.AddressScopes;
import dev.kiln.network.SubnetPool;
import dev.kiln.network.SubnetPools;
import dev.kiln.network.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v2.0/subnetpools} and {@code /v2.0/address-scopes}. */
final class SubnetPoolsApi {
  private static final String POOLS = "/v2.0/subnetpools";
  private static final String SCOPES = "/v2.0/address-scopes";
  private static final Set<String> POOL_ATTRIBUTES =
      Set.of(
          "id", "name", "description", "tenant_id", "project_id", "prefixes", "default_prefixlen", "min_prefixlen",
          "max_prefixlen", "default_quota", "address_scope_id", "ip_version", "shared", "is_default", "tags",
          "created_at", "updated_at", "revision_number");
  private static final Set<String> SCOPE_ATTRIBUTES =
      Set.of("id", "name", "tenant_id", "project_id", "ip_version", "shared", "created_at", "updated_at", "revision_number");

  private final SubnetPools pools;
  private final AddressScopes scopes;
  private final Tags tags;

  SubnetPoolsApi(SubnetPools pools, AddressScopes scopes, Tags tags) {
    this.pools = requireNonNull(pools, "pools is null");
    this.scopes = requireNonNull(scopes, "scopes is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(POOLS, Access.AUTHENTICATED, this::listPools)
        .post(POOLS, Access.AUTHENTICATED, this::createPool)
        .get(POOLS + "/{id}", Access.AUTHENTICATED, this::showPool)
        .put(POOLS + "/{id}", Access.AUTHENTICATED, this::updatePool)
        .delete(POOLS + "/{id}", Access.AUTHENTICATED, this::deletePool)
        .get(SCOPES, Access.AUTHENTICATED, this::listScopes)
        .post(SCOPES, Access.AUTHENTICATED, this::createScope)
        .get(SCOPES + "/{id}", Access.AUTHENTICATED, this::showScope)
        .put(SCOPES + "/{id}", Access.AUTHENTICATED, this::updateScope)
        .delete(SCOPES + "/{id}", Access.AUTHENTICATED, this::deleteScope);
  }

  // Subnet pools

  private ApiResponse listPools(ApiRequest request) {
    Map<String, List<String>> tagged = tags.ofKind("subnetpools");
    List<ObjectNode> all = new ArrayList<>();
    pools.list(request.caller().actor()).forEach(p -> all.add(pool(p, tagged.getOrDefault(p.id(), List.of()))));
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "subnetpools", request.baseUrl() + NetworkApi.PREFIX + POOLS, all, POOL_ATTRIBUTES));
  }

  private ApiResponse createPool(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "subnetpool");
    in.allowOnly(
        "name", "description", "prefixes", "default_prefixlen", "min_prefixlen", "max_prefixlen", "default_quota",
        "address_scope_id", "shared", "is_default", "project_id", "tenant_id", "tags");
    List<String> initialTags = NeutronInput.tags(in);
    Tags.check(initialTags);
    Actor actor = request.caller().actor();
    SubnetPool pool = pools.create(actor, spec(in, NeutronInput.projectId(in)));
    if (!initialTags.isEmpty()) {
      tags.replace(actor, "subnetpools", pool.id(), initialTags);
      pool = pools.visible(actor, pool.id());
    }
    return ApiResponse.created(Json.wrap("subnetpool", pool(pool, initialTags)));
  }

  private ApiResponse showPool(ApiRequest request) {
    SubnetPool pool = pools.visible(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.ok(Json.wrap("subnetpool", NeutronListQuery.fields(request, pool(pool, tags.of(pool.id())))));
  }

  private ApiResponse updatePool(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "subnetpool");
    in.allowOnly(
        "name", "description", "prefixes", "default_prefixlen", "min_prefixlen", "max_prefixlen", "default_quota",
        "address_scope_id", "is_default", "shared");
    SubnetPool pool =
        pools.update(request.caller().actor(), request.pathParam("id"), spec(in, null), NeutronInput.ifMatchRevision(request));
    return ApiResponse.ok(Json.wrap("subnetpool", pool(pool, tags.of(pool.id()))));
  }

  private ApiResponse deletePool(ApiRequest request) {
    pools.delete(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.noContent();
  }

  private static SubnetPools.Spec spec(JsonInput in, String projectId) {
    return new SubnetPools.Spec(
        projectId, NeutronInput.text(in, "name"), NeutronInput.text(in, "description"),
        in.optionalStringList("prefixes").orElse(null), prefixlen(in, "default_prefixlen"), prefixlen(in, "min_prefixlen"),
        prefixlen(in, "max_prefixlen"), in.optionalInt("default_quota").orElse(null), in.has("address_scope_id"),
        in.optionalString("address_scope_id").orElse(null), in.optionalBoolean("shared").orElse(null),
        in.optionalBoolean("is_default").orElse(null));
  }

  private static Integer prefixlen(JsonInput in, String field) {
    return NeutronInput.prefixlen(in, field);
  }

  private static ObjectNode pool(SubnetPool p, List<String> tagList) {
    ObjectNode o = Json.object();
    o.put("id", p.id());
    o.put("name", p.name());
    o.put("description", p.description());
    o.put("tenant_id", p.projectId());
    o.put("project_id", p.projectId());
    ArrayNode prefixes = o.putArray("prefixes");
    p.prefixes().forEach(prefixes::add);
    o.put("default_prefixlen", p.defaultPrefixlen());
    o.put("min_prefixlen", p.minPrefixlen());
    o.put("max_prefixlen", p.maxPrefixlen());
    if (p.defaultQuota() == null) {
      o.putNull("default_quota");
    } else {
      o.put("default_quota", p.defaultQuota());
    }
    o.put("address_scope_id", p.addressScopeId());
    o.put("ip_version", p.ipVersion());
    o.put("shared", p.shared());
    o.put("is_default", p.isDefault());
    NetworkViews.tags(o, tagList);
    NetworkViews.standardAttributes(o, p.createdAt(), p.updatedAt(), p.revision());
    return o;
  }

  // Address scopes

  private ApiResponse listScopes(ApiRequest request) {
    List<ObjectNode> all = new ArrayList<>();
    scopes.list(request.caller().actor()).forEach(s -> all.add(scope(s)));
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "address_scopes", request.baseUrl() + NetworkApi.PREFIX + SCOPES, all, SCOPE_ATTRIBUTES));
  }

  private ApiResponse createScope(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "address_scope");
    in.allowOnly("name", "ip_version", "shared", "project_id", "tenant_id");
    AddressScope scope =
        scopes.create(
            request.caller().actor(), NeutronInput.projectId(in), NeutronInput.text(in, "name"),
            in.optionalInt("ip_version").orElse(null), in.optionalBoolean("shared").orElse(null));
    return ApiResponse.created(Json.wrap("address_scope", scope(scope)));
  }

  private ApiResponse showScope(ApiRequest request) {
    AddressScope scope = scopes.visible(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.ok(Json.wrap("address_scope", NeutronListQuery.fields(request, scope(scope))));
  }

  private ApiResponse updateScope(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "address_scope");
    in.allowOnly("name", "shared");
    AddressScope scope =
        scopes.update(
            request.caller().actor(), request.pathParam("id"), NeutronInput.text(in, "name"),
            in.optionalBoolean("shared").orElse(null));
    return ApiResponse.ok(Json.wrap("address_scope", scope(scope)));
  }

  private ApiResponse deleteScope(ApiRequest request) {
    scopes.delete(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.noContent();
  }

  private static ObjectNode scope(AddressScope s) {
    ObjectNode o = Json.object();
    o.put("id", s.id());
    o.put("name", s.name());
    o.put("tenant_id", s.projectId());
    o.put("project_id", s.projectId());
    o.put("ip_version", s.ipVersion());
    o.put("shared", s.shared());
    NetworkViews.standardAttributes(o, s.createdAt(), s.updatedAt(), s.revision());
    return o;
  }
}
