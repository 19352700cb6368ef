package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackQuery;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/{project_id}/stacks}: the collection (list, create, preview) and Heat's lookups, which
 * answer a stack's name or id with a 302 to its canonical {@code /stacks/{name}/{id}} URL (keeping
 * any sub-path and query), as heatclient expects before every operation on a named stack.
 */
final class StacksApi {
  /** The sub-paths Heat redirects from {@code /stacks/{name}/…} for GET, and those for POST. */
  static final Set<String> LOOKUP_GET =
      Set.of("resources", "events", "template", "actions", "environment", "files");
  static final Set<String> LOOKUP_POST = Set.of("resources", "events", "template", "actions");

  private final OrchestrationService service;

  StacksApi(OrchestrationService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v1/{project_id}/stacks";
    routes
        .get(base, Access.AUTHENTICATED, this::list)
        .post(base, Access.AUTHENTICATED, this::create)
        .post(base + "/preview", Access.AUTHENTICATED, this::preview)
        .get(base + "/detail", Access.AUTHENTICATED, this::detail)
        .get(base + "/{stack_name}", Access.AUTHENTICATED, r -> lookup(r, ""))
        .post(base + "/{stack_name}", Access.AUTHENTICATED, r -> lookup(r, ""))
        .put(base + "/{stack_name}", Access.AUTHENTICATED, r -> lookup(r, ""))
        .patch(base + "/{stack_name}", Access.AUTHENTICATED, r -> lookup(r, ""))
        .delete(base + "/{stack_name}", Access.AUTHENTICATED, r -> lookup(r, ""));
  }

  private ApiResponse list(ApiRequest request) {
    boolean global = HeatParams.bool(request, "global_tenant", false);
    Actor actor = HeatPolicy.enforce(request, global ? "global_index" : "index", Role.READER);
    if (global && !actor.admin()) {
      throw HeatPolicy.forbidden("global_index");
    }
    StackQuery query = StackListQuery.from(request, global);
    boolean withCount = HeatParams.bool(request, "with_count", false);
    List<Stack> stacks = service.list(actor, query);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("stacks");
    stacks.forEach(s -> items.add(StackViews.summary(request, s, actor.admin())));
    if (query.limit() != null && query.limit() > 0 && stacks.size() == query.limit()) {
      body.putArray("links")
          .add(HeatLinks.link(
              HeatLinks.projectUrl(request, request.pathParam("project_id"))
                  + "/stacks"
                  + HeatLinks.queryWithMarker(request, stacks.getLast().id()),
              "next"));
    }
    if (withCount) {
      body.put("count", service.count(actor, query));
    }
    return ApiResponse.ok(body);
  }

  /** {@code GET /stacks/detail}: every stack of the project, in the list's shape. */
  private ApiResponse detail(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "detail", Role.READER);
    StackQuery all =
        new StackQuery(
            java.util.Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null,
            null, false, false, false, false);
    ArrayNode items = Json.array();
    service.list(actor, all).forEach(s -> items.add(StackViews.summary(request, s, false)));
    return ApiResponse.ok(Json.wrap("stacks", items));
  }

  /** 201 with the new stack's id and link, and the link again in Location. */
  private ApiResponse create(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "create", Role.MEMBER);
    StackRequest stack = StackRequests.stack(request.body());
    Stack created = service.create(actor, stack);
    return ApiResponse.created(StackViews.created(request, created))
        .withHeader("Location", StackViews.url(request, created));
  }

  private ApiResponse preview(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "preview", Role.READER);
    StackRequest stack = StackRequests.stack(request.body());
    return ApiResponse.ok(Json.wrap("stack", StackViews.preview(request, service.preview(actor, stack))));
  }

  /**
   * Heat's {@code stacks:lookup}: the stack's canonical URL (in its owner's project), plus the
   * sub-path and the query the request came with.
   */
  ApiResponse lookup(ApiRequest request, String subPath) {
    Actor actor = HeatPolicy.enforce(request, "lookup", Role.READER);
    Stack stack = service.find(actor, request.pathParam("stack_name"));
    String location =
        StackViews.url(request, stack)
            + (subPath.isEmpty() ? "" : "/" + subPath)
            + HeatLinks.query(request);
    return new ApiResponse(302, java.util.Map.of("Location", location), null);
  }
}
