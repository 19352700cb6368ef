package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.ResourceQuery;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code …/stacks/{stack_name}/{stack_id}/resources}: list (with {@code nested_depth}, {@code
 * with_detail} and filters), show, metadata, signal, and {@code PATCH} to mark a resource
 * unhealthy or healthy again.
 */
final class ResourcesApi {
  private static final List<String> FILTERS =
      List.of("type", "status", "name", "action", "id", "physical_resource_id");
  private static final Set<String> LIST_PARAMS;

  static {
    Set<String> params = new java.util.HashSet<>(FILTERS);
    params.add("nested_depth");
    params.add("with_detail");
    LIST_PARAMS = Set.copyOf(params);
  }

  private final OrchestrationService service;

  ResourcesApi(OrchestrationService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String resources = "/v1/{project_id}/stacks/{stack_name}/{stack_id}/resources";
    routes
        .get(resources, Access.AUTHENTICATED, this::list)
        .get(resources + "/{resource_name}", Access.AUTHENTICATED, this::show)
        .patch(resources + "/{resource_name}", Access.AUTHENTICATED, this::markUnhealthy)
        .get(resources + "/{resource_name}/metadata", Access.AUTHENTICATED, this::metadata)
        .post(resources + "/{resource_name}/signal", Access.AUTHENTICATED, this::signal);
  }

  private ApiResponse list(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "index", Role.READER);
    Set<String> unknown = new TreeSet<>();
    request.queryNames().forEach(n -> {
      if (!LIST_PARAMS.contains(n)) {
        unknown.add(n);
      }
    });
    if (!unknown.isEmpty()) {
      throw ApiError.badRequest("Invalid filter parameters " + pythonList(unknown));
    }
    int depth = HeatParams.nonNegativeInt(request, "nested_depth").orElse(0);
    boolean detail = HeatParams.bool(request, "with_detail", false);
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (String f : FILTERS) {
      List<String> values = HeatParams.all(request, f);
      if (!values.isEmpty()) {
        filters.put(f, values);
      }
    }
    Stack stack = StackApi.identified(service, request, actor);
    List<StackResource> resources =
        service.resources(actor, stack.id(), new ResourceQuery(depth, detail, filters));
    Function<String, String> nested = nestedUrls(request, actor);
    ArrayNode items = Json.array();
    for (StackResource r : resources) {
      items.add(ResourceViews.resource(r, stackUrl(request, stack, r), nested, detail));
    }
    return ApiResponse.ok(Json.wrap("resources", items));
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "show", Role.READER);
    Stack stack = StackApi.identified(service, request, actor);
    StackResource r = service.resource(actor, stack.id(), request.pathParam("resource_name"), true);
    return ApiResponse.ok(
        Json.wrap("resource", ResourceViews.resource(r, stackUrl(request, stack, r), nestedUrls(request, actor), true)));
  }

  private ApiResponse metadata(ApiRequest request) {
    Actor actor = stackUserOr(request, "metadata");
    Stack stack = StackApi.identified(service, request, actor);
    JsonNode metadata = service.resourceMetadata(actor, stack.id(), request.pathParam("resource_name"));
    return ApiResponse.ok(Json.wrap("metadata", metadata == null ? Json.object() : metadata));
  }

  /** Heat answers a signal with 200 and a JSON null. */
  private ApiResponse signal(ApiRequest request) {
    Actor actor = stackUserOr(request, "signal");
    Stack stack = StackApi.identified(service, request, actor);
    JsonNode details = request.hasBody() ? request.body() : null;
    service.signal(actor, stack.id(), request.pathParam("resource_name"), details);
    return ApiResponse.ok(NullNode.getInstance());
  }

  /**
   * Heat's stack users (only the {@code heat_stack_user} role, scoped to their stack's user
   * project) may read metadata and signal resources of their own stack, nothing else: the URL's
   * project must be theirs and its stack the one that project belongs to. They then act with the
   * stack owner's reach over that one stack. Everyone else passes Heat's usual policy.
   */
  private static Actor stackUserOr(ApiRequest request, String action) {
    dev.kiln.http.Caller caller = request.caller();
    boolean stackUser = caller.roles().contains(dev.kiln.orchestration.software.StackUsers.ROLE)
        && !caller.isAdmin() && !caller.roles().contains("reader") && !caller.roles().contains("member");
    if (!stackUser) {
      return HeatPolicy.enforce(request, action, Role.READER);
    }
    String stackId = request.pathParam("stack_id");
    if (caller.projectId() == null || !caller.projectId().equals(request.pathParam("project_id"))
        || !dev.kiln.orchestration.software.StackUsers.projectIdOf(stackId).equals(caller.projectId())) {
      throw HeatPolicy.forbidden(action);
    }
    return new Actor(null, caller.userId(), true);
  }

  private ApiResponse markUnhealthy(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "mark_unhealthy", Role.MEMBER);
    ObjectNode body = StackRequests.object(request.body());
    Set<String> invalid = new TreeSet<>();
    body.fieldNames().forEachRemaining(k -> {
      if (!k.equals("mark_unhealthy") && !k.equals("resource_status_reason")) {
        invalid.add(k);
      }
    });
    if (!invalid.isEmpty()) {
      throw ApiError.badRequest("Invalid keys in resource mark unhealthy " + pythonSet(invalid));
    }
    if (!body.has("mark_unhealthy")) {
      throw ApiError.badRequest(
          "Missing mandatory (mark_unhealthy) key from mark unhealthy request");
    }
    JsonNode flag = body.get("mark_unhealthy");
    boolean unhealthy =
        flag.isBoolean() ? flag.booleanValue() : HeatParams.bool("mark_unhealthy", flag.asText());
    JsonNode reason = body.get("resource_status_reason");
    Stack stack = StackApi.identified(service, request, actor);
    service.markUnhealthy(
        actor,
        stack.id(),
        request.pathParam("resource_name"),
        unhealthy,
        reason == null || reason.isNull() ? "" : reason.asText());
    return ApiResponse.ok(NullNode.getInstance());
  }

  /** The URL of the stack a listed resource is in: the stack itself, or one nested in it. */
  private static String stackUrl(ApiRequest request, Stack stack, StackResource r) {
    if (r.stackId() == null || r.stackId().equals(stack.id())) {
      return StackViews.url(request, stack);
    }
    return HeatLinks.stackUrl(request, stack.projectId(), r.stackName(), r.stackId());
  }

  /** Nested stacks' URLs by id, each looked up once per request (their names are in the URL). */
  private Function<String, String> nestedUrls(ApiRequest request, Actor actor) {
    Map<String, String> known = new HashMap<>();
    return id -> known.computeIfAbsent(id, nestedId -> {
      try {
        return StackViews.url(request, service.find(actor, nestedId));
      } catch (ServiceException e) {
        return null;
      }
    });
  }

  /** {@code ['a', 'b']}, as Heat's messages print a Python list. */
  static String pythonList(Set<String> names) {
    return "[" + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + "]";
  }

  private static String pythonSet(Set<String> names) {
    return "{" + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + "}";
  }
}
