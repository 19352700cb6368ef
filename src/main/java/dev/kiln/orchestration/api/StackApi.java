package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackUpdatePreview;
import dev.kiln.orchestration.api.HeatPolicy.Role;

/**
 * One stack at its canonical URL, {@code /v1/{project_id}/stacks/{stack_name}/{stack_id}}: show,
 * delete, its template, environment, files and outputs. The name must be the stack's (Heat answers
 * 404 otherwise), so each operation first loads the stack by name and id.
 */
final class StackApi {
  private final OrchestrationService service;
  private final StacksApi lookups;

  StackApi(OrchestrationService service, StacksApi lookups) {
    this.service = requireNonNull(service, "service is null");
    this.lookups = requireNonNull(lookups, "lookups is null");
  }

  void register(ApiRoutes routes) {
    String stack = "/v1/{project_id}/stacks/{stack_name}/{stack_id}";
    routes
        .get(stack, Access.AUTHENTICATED, this::show)
        .post(stack, Access.AUTHENTICATED, this::postToSubPath)
        .delete(stack, Access.AUTHENTICATED, this::delete)
        .put(stack, Access.AUTHENTICATED, r -> update(r, "update", false))
        .patch(stack, Access.AUTHENTICATED, r -> update(r, "update_patch", true))
        .put(stack + "/preview", Access.AUTHENTICATED, r -> previewUpdate(r, "preview_update", false))
        .patch(stack + "/preview", Access.AUTHENTICATED, r -> previewUpdate(r, "preview_update_patch", true))
        .get(stack + "/template", Access.AUTHENTICATED, this::template)
        .get(stack + "/environment", Access.AUTHENTICATED, this::environment)
        .get(stack + "/files", Access.AUTHENTICATED, this::files)
        .get(stack + "/outputs", Access.AUTHENTICATED, this::outputs)
        .get(stack + "/outputs/{output_key}", Access.AUTHENTICATED, this::output)
        .delete(stack + "/abandon", Access.AUTHENTICATED, r -> unsupported(r, "abandon", "Stack Abandon"))
        .get(stack + "/export", Access.AUTHENTICATED, r -> unsupported(r, "export", "Stack Export"))
        .get(stack + "/snapshots", Access.AUTHENTICATED, r -> unsupported(r, "list_snapshots", "Stack Snapshots"))
        .post(stack + "/snapshots", Access.AUTHENTICATED, r -> unsupported(r, "snapshot", "Stack Snapshots"))
        .get(stack + "/snapshots/{snapshot_id}", Access.AUTHENTICATED,
            r -> unsupported(r, "show_snapshot", "Stack Snapshots"))
        .delete(stack + "/snapshots/{snapshot_id}", Access.AUTHENTICATED,
            r -> unsupported(r, "delete_snapshot", "Stack Snapshots"))
        .post(stack + "/snapshots/{snapshot_id}/restore", Access.AUTHENTICATED,
            r -> unsupported(r, "restore_snapshot", "Stack Snapshots"));
  }

  /**
   * The stack that {@code /stacks/{stack_name}/{stack_id}} names, after the policy check for
   * {@code action}; 404 when no such stack is visible or its name is not {@code stack_name}.
   */
  static Stack identified(OrchestrationService service, ApiRequest request, Actor actor) {
    return service.get(actor, request.pathParam("stack_name"), request.pathParam("stack_id"), false);
  }

  private ApiResponse show(ApiRequest request) {
    String second = request.pathParam("stack_id");
    // /stacks/{name}/resources and friends: Heat's router matches these as lookups first.
    if (StacksApi.LOOKUP_GET.contains(second)) {
      return lookups.lookup(request, second);
    }
    Actor actor = HeatPolicy.enforce(request, "show", Role.READER);
    boolean outputs = HeatParams.bool(request, "resolve_outputs", true);
    Stack stack =
        service.get(actor, request.pathParam("stack_name"), request.pathParam("stack_id"), outputs);
    return ApiResponse.ok(Json.wrap("stack", StackViews.full(request, stack, outputs)));
  }

  private ApiResponse postToSubPath(ApiRequest request) {
    String second = request.pathParam("stack_id");
    if (StacksApi.LOOKUP_POST.contains(second)) {
      return lookups.lookup(request, second);
    }
    throw ApiError.methodNotAllowed("The method POST is not allowed for this resource: a stack is"
        + " changed with PUT or PATCH and deleted with DELETE.");
  }

  private ApiResponse delete(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "delete", Role.MEMBER);
    Stack stack = identified(service, request, actor);
    service.delete(actor, stack.id());
    return ApiResponse.noContent();
  }

  /** {@code PUT} (a new template) or {@code PATCH} (changes to the stack's): Heat's 202, no body. */
  private ApiResponse update(ApiRequest request, String action, boolean existing) {
    Actor actor = HeatPolicy.enforce(request, action, Role.MEMBER);
    Stack stack = identified(service, request, actor);
    service.update(actor, stack.id(), StackRequests.update(request.hasBody() ? request.body() : null, existing));
    return new ApiResponse(202, java.util.Map.of(), null);
  }

  /** What the update would do: {@code {"resource_changes": {"added": [...], ...}}}. */
  private ApiResponse previewUpdate(ApiRequest request, String action, boolean existing) {
    Actor actor = HeatPolicy.enforce(request, action, Role.MEMBER);
    Stack stack = identified(service, request, actor);
    boolean showNested = HeatParams.bool(request, "show_nested", false);
    StackUpdatePreview preview =
        service.previewUpdate(
            actor, stack.id(), StackRequests.update(request.hasBody() ? request.body() : null, existing), showNested);
    String stackUrl = StackViews.url(request, stack);
    ObjectNode changes = Json.object();
    add(changes, "added", preview.added(), stackUrl);
    add(changes, "deleted", preview.deleted(), stackUrl);
    add(changes, "replaced", preview.replaced(), stackUrl);
    add(changes, "updated", preview.updated(), stackUrl);
    add(changes, "unchanged", preview.unchanged(), stackUrl);
    return ApiResponse.ok(Json.wrap("resource_changes", changes));
  }

  private static void add(ObjectNode changes, String key, java.util.List<StackResource> resources, String stackUrl) {
    ArrayNode list = changes.putArray(key);
    resources.forEach(r -> list.add(ResourceViews.resource(r, stackUrl, id -> null, false)));
  }

  private ApiResponse template(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "template", Role.READER);
    return ApiResponse.ok(service.template(actor, identified(service, request, actor).id()));
  }

  private ApiResponse environment(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "environment", Role.READER);
    return ApiResponse.ok(service.environment(actor, identified(service, request, actor).id()));
  }

  private ApiResponse files(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "files", Role.READER);
    ObjectNode files = Json.object();
    service.files(actor, identified(service, request, actor).id()).forEach(files::put);
    return ApiResponse.ok(files);
  }

  private ApiResponse outputs(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "list_outputs", Role.READER);
    ArrayNode outputs = Json.array();
    service.outputs(actor, identified(service, request, actor).id())
        .forEach(o -> outputs.add(StackViews.output(o, false)));
    return ApiResponse.ok(Json.wrap("outputs", outputs));
  }

  private ApiResponse output(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "show_output", Role.READER);
    String stackId = identified(service, request, actor).id();
    return ApiResponse.ok(
        Json.wrap("output", StackViews.output(service.output(actor, stackId, request.pathParam("output_key")), true)));
  }

  /** Operations Heat has and Kiln does not: Heat's own 400 for a disabled feature. */
  private ApiResponse unsupported(ApiRequest request, String action, String feature) {
    Actor actor = HeatPolicy.enforce(request, action, Role.MEMBER);
    identified(service, request, actor);
    throw StackRequests.notSupported(feature);
  }
}
