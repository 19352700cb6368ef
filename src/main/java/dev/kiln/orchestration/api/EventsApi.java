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
import dev.kiln.orchestration.EventQuery;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack's events ({@code …/events}), one resource's ({@code …/resources/{name}/events}) and one
 * event ({@code …/resources/{name}/events/{id}}), with Heat's filters, sort and paging. Lists show
 * Heat's summary fields; an event shown alone adds its resource's type and properties.
 */
final class EventsApi {
  private static final List<String> FILTERS =
      List.of("resource_status", "resource_action", "resource_name", "resource_type");

  private final OrchestrationService service;

  EventsApi(OrchestrationService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String stack = "/v1/{project_id}/stacks/{stack_name}/{stack_id}";
    routes
        .get(stack + "/events", Access.AUTHENTICATED, r -> list(r, null))
        .get(stack + "/resources/{resource_name}/events", Access.AUTHENTICATED,
            r -> list(r, r.pathParam("resource_name")))
        .get(stack + "/resources/{resource_name}/events/{event_id}", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse list(ApiRequest request, String resourceName) {
    Actor actor = HeatPolicy.enforce(request, "index", Role.READER);
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (String f : FILTERS) {
      List<String> values = HeatParams.all(request, f);
      if (!values.isEmpty()) {
        filters.put(f, values);
      }
    }
    if (resourceName != null) {
      filters.put("resource_name", List.of(resourceName));
    }
    int depth = HeatParams.nonNegativeInt(request, "nested_depth").orElse(0);
    EventQuery query =
        new EventQuery(
            resourceName,
            filters,
            request.queryAll("sort_keys").stream().flatMap(k -> List.of(k.split(",")).stream()).toList(),
            HeatParams.sortDir(request),
            HeatParams.nonNegativeInt(request, "limit").orElse(null),
            request.query("marker").filter(m -> !m.isEmpty()).orElse(null),
            depth);
    Stack stack = StackApi.identified(service, request, actor);
    List<StackEvent> events = service.events(actor, stack.id(), query);
    if (events.isEmpty() && resourceName != null) {
      throw ApiError.notFound("HTTPNotFound", "No events found for resource " + resourceName);
    }
    String rootUrl = depth > 0 ? StackViews.url(request, stack) : null;
    ArrayNode items = Json.array();
    events.forEach(e -> items.add(view(request, stack, e, rootUrl, false)));
    return ApiResponse.ok(Json.wrap("events", items));
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "show", Role.READER);
    Stack stack = StackApi.identified(service, request, actor);
    StackEvent event =
        service.event(actor, stack.id(), request.pathParam("resource_name"), request.pathParam("event_id"));
    return ApiResponse.ok(Json.wrap("event", view(request, stack, event, null, true)));
  }

  /**
   * One event; its links name the stack it happened in (a nested one when listed with {@code
   * nested_depth}, which also adds the root stack's link).
   */
  private static ObjectNode view(ApiRequest request, Stack stack, StackEvent e, String rootUrl, boolean detail) {
    String stackUrl =
        e.stackId() == null || e.stackId().equals(stack.id())
            ? StackViews.url(request, stack)
            : HeatLinks.stackUrl(request, stack.projectId(), e.stackName(), e.stackId());
    String resourceUrl = HeatLinks.resourceUrl(stackUrl, e.resourceName());
    ObjectNode o = Json.object();
    o.put("id", e.id());
    ArrayNode links = o.putArray("links");
    links.add(HeatLinks.link(resourceUrl + "/events/" + HeatLinks.segment(e.id()), "self"));
    links.add(HeatLinks.link(resourceUrl, "resource"));
    links.add(HeatLinks.link(stackUrl, "stack"));
    if (rootUrl != null) {
      links.add(HeatLinks.link(rootUrl, "root_stack"));
    }
    o.put("event_time", StackViews.time(e.time()));
    o.put("resource_name", e.resourceName());
    o.put("logical_resource_id", e.resourceName());
    o.put("resource_status", e.resourceStatus());
    o.put("resource_status_reason", e.reason());
    o.put("physical_resource_id", e.physicalResourceId());
    if (detail) {
      o.put("resource_type", e.resourceType());
      o.set("resource_properties", e.resourceProperties() == null ? Json.object() : e.resourceProperties());
    }
    return o;
  }
}
