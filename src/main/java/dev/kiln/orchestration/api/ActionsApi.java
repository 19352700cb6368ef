package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import java.util.Iterator;

/**
 * {@code POST …/stacks/{stack_name}/{stack_id}/actions} with exactly one of {@code suspend}, {@code
 * resume}, {@code check}, {@code cancel_update} or {@code cancel_without_rollback}; the operation
 * runs as a task and the answer is Heat's 200 with a JSON null.
 */
final class ActionsApi {
  private final OrchestrationService service;

  ActionsApi(OrchestrationService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    routes.post("/v1/{project_id}/stacks/{stack_name}/{stack_id}/actions", Access.AUTHENTICATED, this::act);
  }

  private ApiResponse act(ApiRequest request) {
    ObjectNode body = request.hasBody() ? StackRequests.object(request.body()) : null;
    if (body == null || body.isEmpty()) {
      throw ApiError.badRequest("No action specified");
    }
    if (body.size() > 1) {
      throw ApiError.badRequest("Multiple actions specified");
    }
    Iterator<String> names = body.fieldNames();
    String name = names.next();
    switch (name) {
      case "suspend" -> run(request, name, StackAction.SUSPEND);
      case "resume" -> run(request, name, StackAction.RESUME);
      case "check" -> run(request, name, StackAction.CHECK);
      case "cancel_update", "cancel_without_rollback" -> cancel(request, name);
      default -> throw ApiError.badRequest("Invalid action " + name + " specified");
    }
    return ApiResponse.ok(NullNode.getInstance());
  }

  private void run(ApiRequest request, String policyName, StackAction action) {
    Actor actor = HeatPolicy.enforce(request, policyName, Role.MEMBER);
    service.act(actor, StackApi.identified(service, request, actor).id(), action);
  }

  /** {@code cancel_update} rolls the update back; {@code cancel_without_rollback} stops it where it is. */
  private void cancel(ApiRequest request, String policyName) {
    Actor actor = HeatPolicy.enforce(request, policyName, Role.MEMBER);
    Stack stack = StackApi.identified(service, request, actor);
    service.cancelUpdate(actor, stack.id(), policyName.equals("cancel_update"));
  }
}
