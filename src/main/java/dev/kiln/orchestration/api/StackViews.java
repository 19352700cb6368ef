package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackOutput;
import dev.kiln.orchestration.StackPreview;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stacks as Heat's API shows them: in a list, in full, as a preview, and their outputs. */
final class StackViews {
  /** Heat's timestamps: whole seconds, UTC, with a Z. */
  private static final DateTimeFormatter HEAT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private StackViews() {}

  static String time(Instant at) {
    return at == null ? null : HEAT_TIME.format(at);
  }

  static String url(ApiRequest request, Stack stack) {
    return HeatLinks.stackUrl(request, stack.projectId(), stack.name(), idOf(stack));
  }

  /** A stack in {@code GET /stacks}; {@code project} only for admins, as Heat shows it. */
  static ObjectNode summary(ApiRequest request, Stack stack, boolean withProject) {
    ObjectNode s = Json.object();
    identity(request, stack, s);
    if (withProject) {
      s.put("project", stack.projectId());
    }
    s.put("stack_name", stack.name());
    s.put("description", stack.description() == null ? "" : stack.description());
    s.put("stack_status", stack.stackStatus());
    s.put("stack_status_reason", stack.statusReason());
    s.put("creation_time", time(stack.createdAt()));
    s.put("updated_time", time(stack.updatedAt()));
    s.put("deletion_time", time(stack.deletedAt()));
    s.put("stack_owner", stack.ownerUserId());
    s.put("parent", stack.parentId());
    s.putNull("stack_user_project_id");
    if (stack.tags().isEmpty()) {
      s.putNull("tags");
    } else {
      tags(s, stack.tags());
    }
    return s;
  }

  /** A stack in full ({@code GET /stacks/{name}/{id}}); outputs unless left out or deleted. */
  static ObjectNode full(ApiRequest request, Stack stack, boolean withOutputs) {
    ObjectNode s = common(request, stack);
    s.put("stack_status", stack.stackStatus());
    s.put("stack_status_reason", stack.statusReason());
    boolean deleted = stack.action() == StackAction.DELETE && stack.status() == StackStatus.COMPLETE;
    if (withOutputs && !deleted) {
      ArrayNode outputs = s.putArray("outputs");
      stack.outputs().forEach(o -> outputs.add(output(o, true)));
    }
    return s;
  }

  /** A create preview: the stack without a status, and each resource it would make. */
  static ObjectNode preview(ApiRequest request, StackPreview preview) {
    Stack stack = preview.stack();
    ObjectNode s = common(request, stack);
    ArrayNode outputs = s.putArray("outputs");
    stack.outputs().forEach(o -> outputs.add(output(o, true)));
    previewItems(s.putArray("resources"), stack, preview.items());
    return s;
  }

  /** Resources as objects; a nested stack's as a list in the place of the resource that makes it. */
  private static void previewItems(ArrayNode out, Stack stack, java.util.List<StackPreview.Item> items) {
    for (StackPreview.Item item : items) {
      switch (item) {
        case StackPreview.Resource r -> {
          ObjectNode o = ResourceViews.preview(stack, r.resource());
          o.set("properties", r.properties() == null ? Json.object() : r.properties());
          if (r.resource().parentResourceName() != null) {
            o.put("parent_resource", r.resource().parentResourceName());
          }
          out.add(o);
        }
        case StackPreview.Nested n -> previewItems(out.addArray(), n.stack(), n.items());
      }
    }
  }

  /** One output; with its value (and error, if any) or, in an outputs list, without. */
  static ObjectNode output(StackOutput output, boolean withValue) {
    ObjectNode o = Json.object();
    o.put("output_key", output.key());
    o.put("description", output.description() == null ? "No description given" : output.description());
    if (withValue) {
      o.set("output_value", output.value() == null ? Json.MAPPER.nullNode() : output.value());
      if (output.error() != null) {
        o.put("output_error", output.error());
      }
    }
    return o;
  }

  /** The create answer: the new stack's id and link. */
  static ObjectNode created(ApiRequest request, Stack stack) {
    ObjectNode s = Json.object();
    identity(request, stack, s);
    return Json.wrap("stack", s);
  }

  private static ObjectNode common(ApiRequest request, Stack stack) {
    ObjectNode s = Json.object();
    identity(request, stack, s);
    s.put("stack_name", stack.name());
    s.put("description", stack.description() == null ? "" : stack.description());
    s.put("template_description", stack.description() == null ? "" : stack.description());
    s.put("creation_time", time(stack.createdAt()));
    s.put("updated_time", time(stack.updatedAt()));
    s.put("deletion_time", time(stack.deletedAt()));
    s.putArray("notification_topics");
    s.putArray("capabilities");
    s.set("parameters", parameters(stack.parameters()));
    s.put("disable_rollback", stack.disableRollback());
    if (stack.timeoutMins() == null) {
      s.putNull("timeout_mins");
    } else {
      s.put("timeout_mins", stack.timeoutMins());
    }
    s.put("stack_owner", stack.ownerUserId());
    s.put("parent", stack.parentId());
    s.putNull("stack_user_project_id");
    if (stack.tags().isEmpty()) {
      s.putNull("tags"); // Heat shows a stack without tags as null, in full as in lists
    } else {
      tags(s, stack.tags());
    }
    return s;
  }

  private static void identity(ApiRequest request, Stack stack, ObjectNode s) {
    s.put("id", idOf(stack));
    s.set("links", HeatLinks.self(url(request, stack)));
  }

  /** A preview's stack has no id yet; Heat shows Python's None. */
  private static String idOf(Stack stack) {
    return stack.id() == null ? "None" : stack.id();
  }

  private static void tags(ObjectNode s, List<String> tags) {
    ArrayNode array = s.putArray("tags");
    tags.forEach(array::add);
  }

  /**
   * Heat shows every parameter as text: lists joined with commas, JSON as JSON, booleans as Python
   * writes them. The engine gives most as text already; anything else is turned to text here.
   */
  private static ObjectNode parameters(Map<String, JsonNode> parameters) {
    ObjectNode p = Json.object();
    new TreeMap<>(parameters).forEach((name, value) -> p.put(name, parameterText(value)));
    return p;
  }

  static String parameterText(JsonNode value) {
    if (value == null || value.isNull()) {
      return "None";
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "True" : "False";
    }
    if (value.isArray() && allScalar(value)) {
      StringBuilder joined = new StringBuilder();
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        joined.append(it.next().asText());
        if (it.hasNext()) {
          joined.append(',');
        }
      }
      return joined.toString();
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static boolean allScalar(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isValueNode()) {
        return false;
      }
    }
    return true;
  }
}
