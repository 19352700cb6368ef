package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.EventQuery;
import dev.kiln.orchestration.ResourceQuery;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackOutput;
import dev.kiln.orchestration.StackQuery;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.store.EventRow;
import dev.kiln.orchestration.store.EventStore;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackListing;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.orchestration.store.TemplateStore;
import dev.kiln.orchestration.template.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the service answers about stacks: lists, shows, resources, events, outputs, templates. */
final class StackReads {
  private final StackRunner runner;
  private final Stacks stacks;

  StackReads(StackRunner runner) {
    this.runner = requireNonNull(runner, "runner is null");
    this.stacks = new Stacks(runner.engine().db());
  }

  private Engine engine() {
    return runner.engine();
  }

  private StackListing listing(Actor actor, StackQuery query) {
    boolean everyProject = actor.admin() && query.globalTenant();
    StackRow marker = null;
    if (query.marker() != null) {
      marker = new StackStore(engine().db().sql()).find(query.marker())
          .filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> Stacks.notFound(query.marker()));
    }
    return new StackListing(query, everyProject ? null : actor.projectId() == null ? "" : actor.projectId(), marker);
  }

  List<Stack> list(Actor actor, StackQuery query) {
    List<Stack> out = new ArrayList<>();
    for (StackRow row : new StackStore(engine().db().sql()).list(listing(actor, query))) {
      out.add(Views.stack(row, List.of()));
    }
    return out;
  }

  int count(Actor actor, StackQuery query) {
    StackQuery unpaged =
        new StackQuery(query.filters(), query.tags(), query.tagsAny(), query.notTags(), query.notTagsAny(),
            query.sortKeys(), query.sortDir(), null, null, query.showDeleted(), query.showNested(),
            query.globalTenant(), query.showHidden());
    return new StackStore(engine().db().sql()).count(listing(actor, unpaged));
  }

  Stack find(Actor actor, String nameOrId) {
    return Views.stack(stacks.find(actor, nameOrId), List.of());
  }

  Stack get(Actor actor, String stackName, String stackId, boolean withOutputs) {
    StackRow stack = stacks.find(actor, stackId);
    if (!stack.name().equals(stackName) && !stack.id().equals(stackName)) {
      throw Stacks.notFound(stackName);
    }
    return Views.stack(stack, withOutputs && !stack.deleted() ? new Outputs(runner).resolve(stack) : List.of());
  }

  JsonNode template(Actor actor, String stackId) {
    StackRow stack = stacks.find(actor, stackId);
    return new TemplateStore(engine().db().sql()).find(stack.templateId()).orElseThrow().template();
  }

  JsonNode environment(Actor actor, String stackId) {
    StackRow stack = stacks.find(actor, stackId);
    Environment env = engine().parsed().parsed(stack.templateId()).environment();
    ObjectNode out = JsonColumns.object();
    ObjectNode parameters = out.putObject("parameters");
    env.parameters().forEach(parameters::set);
    ObjectNode defaults = out.putObject("parameter_defaults");
    env.parameterDefaults().forEach(defaults::set);
    out.set("resource_registry", env.resourceRegistry() == null ? JsonColumns.object() : env.resourceRegistry());
    out.putArray("encrypted_param_names");
    out.set("event_sinks", env.eventSinks() == null ? JsonColumns.mapper().createArrayNode() : env.eventSinks());
    out.putObject("parameter_merge_strategies");
    return out;
  }

  Map<String, String> files(Actor actor, String stackId) {
    StackRow stack = stacks.find(actor, stackId);
    return new TemplateStore(engine().db().sql()).find(stack.templateId()).orElseThrow().files();
  }

  List<StackOutput> outputs(Actor actor, String stackId) {
    return new Outputs(runner).resolve(stacks.find(actor, stackId));
  }

  StackOutput output(Actor actor, String stackId, String key) {
    return outputs(actor, stackId).stream()
        .filter(o -> o.key().equals(key))
        .findFirst()
        .orElseThrow(() -> ServiceException.notFound("NotFound", "Specified output key " + key + " not found."));
  }

  /** The stack and its nested stacks down to {@code depth} levels below it. */
  private List<StackRow> withNested(StackRow stack, int depth) {
    if (depth <= 0) {
      return List.of(stack);
    }
    List<StackRow> out = new ArrayList<>();
    out.add(stack);
    Map<String, List<StackRow>> children = new HashMap<>();
    for (StackRow s : new StackStore(engine().db().sql()).tree(stack.rootId())) {
      if (s.parentId() != null && !s.deleted()) {
        children.computeIfAbsent(s.parentId(), k -> new ArrayList<>()).add(s);
      }
    }
    List<StackRow> level = List.of(stack);
    for (int d = 0; d < depth && !level.isEmpty(); d++) {
      List<StackRow> next = new ArrayList<>();
      for (StackRow s : level) {
        next.addAll(children.getOrDefault(s.id(), List.of()));
      }
      out.addAll(next);
      level = next;
    }
    return out;
  }

  List<StackResource> resources(Actor actor, String stackId, ResourceQuery query) {
    StackRow top = stacks.find(actor, stackId);
    List<StackRow> all = withNested(top, query.nestedDepth());
    Map<String, StackRow> byId = new LinkedHashMap<>();
    all.forEach(s -> byId.put(s.id(), s));
    List<ResourceRow> rows = new ResourceStore(engine().db().sql()).current(byId.keySet());
    Map<String, List<String>> requiredBy = requiredBy(rows);
    List<StackResource> out = new ArrayList<>();
    for (ResourceRow row : rows) {
      if (!matches(row, query.filters())) {
        continue;
      }
      StackRow stack = byId.get(row.stackId());
      JsonNode attributes = query.withDetail() ? attributes(stack, row) : null;
      String parentResource = stack.id().equals(top.id()) ? null : stack.parentResource();
      out.add(Views.resource(stack, row, requiredBy.getOrDefault(row.stackId() + "/" + row.name(), List.of()),
          attributes, parentResource));
    }
    return out;
  }

  private static Map<String, List<String>> requiredBy(List<ResourceRow> rows) {
    Map<String, List<String>> out = new HashMap<>();
    for (ResourceRow row : rows) {
      for (String needed : row.requires()) {
        out.computeIfAbsent(row.stackId() + "/" + needed, k -> new ArrayList<>()).add(row.name());
      }
    }
    return out;
  }

  private static boolean matches(ResourceRow row, Map<String, List<String>> filters) {
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      List<String> values = f.getValue();
      boolean ok =
          switch (f.getKey()) {
            case "name", "resource_name" -> values.contains(row.name());
            case "status", "resource_status" ->
                values.contains(row.status().name()) || values.contains(row.state());
            case "action", "resource_action" -> values.contains(row.action().name());
            case "type", "resource_type" -> values.contains(row.type());
            case "id" -> values.contains(row.id());
            case "physical_resource_id" -> values.contains(row.physicalId());
            default -> true;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  StackResource resource(Actor actor, String stackId, String resourceName, boolean withAttributes) {
    StackRow stack = stacks.find(actor, stackId);
    ResourceRow row = stacks.resource(stack, resourceName);
    List<ResourceRow> rows = new ResourceStore(engine().db().sql()).current(stack.id());
    List<String> requiredBy = requiredBy(rows).getOrDefault(stack.id() + "/" + row.name(), List.of());
    return Views.resource(stack, row, requiredBy, withAttributes ? attributes(stack, row) : null, null);
  }

  JsonNode resourceMetadata(Actor actor, String stackId, String resourceName) {
    StackRow stack = stacks.find(actor, stackId);
    ResourceRow row = stacks.resource(stack, resourceName);
    JsonNode metadata = row.metadata();
    ObjectNode out = metadata == null || !metadata.isObject() ? JsonColumns.object() : ((ObjectNode) metadata).deepCopy();
    addDeployments(row, out);
    return out;
  }

  /**
   * A server's software deployments, as Heat pushes them into its resource's metadata: the {@code
   * deployments} list (computed now, so it never lags a deployment) and, for a SOFTWARE_CONFIG
   * server, the {@code os-collect-config} section its resource recorded.
   */
  private void addDeployments(ResourceRow row, ObjectNode out) {
    JsonNode section = row.data() == null ? null : row.data().get("os-collect-config");
    if (row.physicalId() == null || (section == null && !row.type().equals("OS::Nova::Server"))) {
      return;
    }
    var deployments =
        new dev.kiln.orchestration.software.SoftwareService(engine().db(), engine().clock(), engine().ids())
            .metadata(null, row.physicalId());
    if (section != null || !deployments.isEmpty()) {
      out.set("deployments", deployments);
    }
    if (section != null) {
      out.set("os-collect-config", section);
    }
  }

  /** Every attribute of the resource's type, resolved now (errors show as null). */
  private JsonNode attributes(StackRow stack, ResourceRow row) {
    LiveStack live = LiveStack.of(stack, List.of(row), null, engine().types());
    Instant far = engine().clock().instant().plusSeconds(3600);
    StackResolver resolver =
        new StackResolver(live, name -> new NestedStackRunner(runner, live, live.slot(name).row(), null, far));
    ObjectNode out = JsonColumns.object();
    for (String name : live.slot(row.name()).type.schema().attributes().keySet()) {
      try {
        out.set(name, resolver.attribute(row.name(), name));
      } catch (RuntimeException e) {
        out.putNull(name);
      }
    }
    return out;
  }

  List<StackEvent> events(Actor actor, String stackId, EventQuery query) {
    StackRow top = stacks.find(actor, stackId);
    // A resource name only filters, as in Heat: the stack's own events carry the stack's name, and
    // a deleted resource's events stay listed; no match at all is the API's 404.
    List<StackRow> all = withNested(top, query.nestedDepth());
    Map<String, StackRow> byId = new LinkedHashMap<>();
    all.forEach(s -> byId.put(s.id(), s));
    List<EventRow> rows = new EventStore(engine().db().sql()).of(byId.keySet(), query.resourceName());
    List<EventRow> kept = new ArrayList<>();
    for (EventRow e : rows) {
      if (eventMatches(e, query.filters())) {
        kept.add(e);
      }
    }
    Comparator<EventRow> order = eventOrder(query.sortKeys());
    if ("desc".equalsIgnoreCase(query.sortDir())) {
      order = order.reversed();
    }
    kept.sort(order);
    int start = 0;
    if (query.marker() != null) {
      start = -1;
      for (int i = 0; i < kept.size(); i++) {
        if (kept.get(i).id().equals(query.marker())) {
          start = i + 1;
        }
      }
      if (start < 0) {
        throw ServiceException.notFound("EntityNotFound", "The Event (" + query.marker() + ") could not be found.");
      }
    }
    int end = query.limit() == null ? kept.size() : Math.min(kept.size(), start + Math.max(0, query.limit()));
    List<StackEvent> out = new ArrayList<>();
    for (EventRow e : kept.subList(Math.min(start, kept.size()), Math.max(end, Math.min(start, kept.size())))) {
      out.add(Views.event(byId.get(e.stackId()), e));
    }
    return out;
  }

  private static Comparator<EventRow> eventOrder(List<String> keys) {
    Map<String, Function<EventRow, String>> fields =
        Map.of(
            "resource_type", EventRow::resourceType,
            "resource_name", EventRow::resourceName,
            "resource_action", e -> e.action().name(),
            "resource_status", e -> e.status().name());
    Comparator<EventRow> order = null;
    for (String key : keys) {
      Function<EventRow, String> field = fields.get(key);
      if (field != null) {
        Comparator<EventRow> next = Comparator.comparing(field);
        order = order == null ? next : order.thenComparing(next);
      }
    }
    Comparator<EventRow> bySeq = Comparator.comparing(EventRow::createdAt).thenComparingLong(EventRow::seq);
    return order == null ? bySeq : order.thenComparing(bySeq);
  }

  private static boolean eventMatches(EventRow e, Map<String, List<String>> filters) {
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      List<String> values = f.getValue();
      boolean ok =
          switch (f.getKey()) {
            case "resource_action" -> values.contains(e.action().name());
            case "resource_status" ->
                values.contains(e.status().name()) || values.contains(e.action() + "_" + e.status());
            case "resource_name" -> values.contains(e.resourceName());
            case "resource_type" -> values.contains(e.resourceType());
            case "physical_resource_id" -> values.contains(e.physicalId());
            case "resource_status_reason" -> values.contains(e.reason());
            default -> true;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  StackEvent event(Actor actor, String stackId, String resourceName, String eventId) {
    StackRow stack = stacks.find(actor, stackId);
    EventRow e =
        new EventStore(engine().db().sql())
            .find(stack.id(), eventId)
            .filter(row -> resourceName == null || row.resourceName().equals(resourceName))
            .orElseThrow(() -> ServiceException.notFound("EntityNotFound", "The Event (" + eventId + ") could not be found."));
    return Views.event(stack, e);
  }
}
