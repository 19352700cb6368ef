package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.TemplateRow;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParameterDefinition;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.ResourceDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a stack about to be created: its template, the stack (CREATE_IN_PROGRESS) and
 * every resource (INIT_COMPLETE), as a top-level create and a nested stack both make them.
 */
record NewStack(TemplateRow template, StackRow stack, List<ResourceRow> resources) {

  /** Where a nested stack sits in its tree. */
  record Parent(String parentId, String parentResource, String parentResourceId, String rootId, int depth) {}

  static final String STARTED = "Stack CREATE started";

  static NewStack of(
      StackRunner runner,
      String stackId,
      String name,
      dev.kiln.common.Actor owner,
      TemplateRow template,
      ParsedStack parsed,
      BoundStack bound,
      Map<String, JsonNode> parameters,
      Integer timeoutMins,
      boolean disableRollback,
      List<String> tags,
      Parent parent,
      String traversal,
      Instant now) {
    ObjectNode params = JsonColumns.object();
    parameters.forEach(params::set);
    StackRow stack =
        new StackRow(
            stackId, name, owner.projectId(), owner.userId(), owner.admin(), StackAction.CREATE,
            StackStatus.IN_PROGRESS, STARTED, traversal, now, template.id(), null,
            parsed.description() == null ? "" : parsed.description(), params, shownParameters(parsed, bound),
            timeoutMins, disableRollback, tags, parent == null ? null : parent.parentId(),
            parent == null ? null : parent.parentResource(), parent == null ? null : parent.parentResourceId(),
            parent == null ? stackId : parent.rootId(), parent == null ? 0 : parent.depth(), now, null, null);
    Set<String> names = new java.util.HashSet<>();
    bound.resources().forEach(r -> names.add(r.name()));
    List<ResourceRow> rows = new ArrayList<>();
    for (ResourceDefinition definition : bound.resources()) {
      List<String> requires = definition.dependsOn().stream().filter(names::contains).sorted().toList();
      rows.add(
          new ResourceRow(
              runner.engine().ids().uuid(), stackId, definition.name(), 0, true, template.id(), definition.type(),
              StackAction.INIT, StackStatus.COMPLETE, "", null, requires, null, runner.initialData(definition), null,
              definition.deletionPolicy().name(), null, null, null, null, definition.description(), now, null));
    }
    return new NewStack(template, stack, rows);
  }

  /** Every bound parameter as Heat shows a stack's parameters: strings, hidden ones masked. */
  static ObjectNode shownParameters(ParsedStack parsed, BoundStack bound) {
    Set<String> hidden = new java.util.HashSet<>();
    for (ParameterDefinition p : parsed.parameters()) {
      if (p.hidden()) {
        hidden.add(p.name());
      }
    }
    ObjectNode shown = JsonColumns.object();
    bound.parameterValues().forEach((k, v) -> shown.put(k, hidden.contains(k) ? "******" : asHeatString(v)));
    return shown;
  }

  /** Python's {@code str()} of a parameter value as Heat shows it. */
  static String asHeatString(JsonNode value) {
    if (value == null || value.isNull()) {
      return "None";
    }
    if (value.isTextual() || value.isNumber()) {
      return value.asText();
    }
    if (value.isBoolean()) {
      return value.asBoolean() ? "True" : "False";
    }
    if (value.isArray()) {
      boolean scalars = true;
      for (JsonNode item : value) {
        scalars &= item.isValueNode();
      }
      if (scalars) {
        List<String> items = new ArrayList<>();
        value.forEach(i -> items.add(i.asText()));
        return String.join(",", items);
      }
    }
    return JsonColumns.write(value);
  }
}
