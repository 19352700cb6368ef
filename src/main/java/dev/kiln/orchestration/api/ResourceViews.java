package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackResource;
import java.util.function.Function;

/** A stack's resources as Heat's API shows them. */
final class ResourceViews {
  private ResourceViews() {}

  /**
   * One resource in a list or shown alone.
   *
   * @param stackUrl the canonical URL of the stack the resource belongs to
   * @param nestedUrl the canonical URL of a nested stack by its id, or null when it cannot be found
   * @param detail add the description and the attributes (a show, or a list {@code with_detail})
   */
  static ObjectNode resource(
      StackResource r, String stackUrl, Function<String, String> nestedUrl, boolean detail) {
    ObjectNode o = Json.object();
    o.put("resource_name", r.name());
    o.put("logical_resource_id", r.name());
    o.put("physical_resource_id", r.physicalId() == null ? "" : r.physicalId());
    o.put("resource_type", r.type());
    o.put("resource_status", r.resourceStatus());
    o.put("resource_status_reason", r.statusReason() == null ? "" : r.statusReason());
    o.put("creation_time", StackViews.time(r.createdAt()));
    o.put("updated_time", StackViews.time(r.updatedAt() != null ? r.updatedAt() : r.createdAt()));
    ArrayNode requiredBy = o.putArray("required_by");
    r.requiredBy().forEach(requiredBy::add);
    ArrayNode links = o.putArray("links");
    links.add(HeatLinks.link(HeatLinks.resourceUrl(stackUrl, r.name()), "self"));
    links.add(HeatLinks.link(stackUrl, "stack"));
    if (r.nestedStackId() != null) {
      String nested = nestedUrl.apply(r.nestedStackId());
      if (nested != null) {
        links.add(HeatLinks.link(nested, "nested"));
      }
    }
    if (r.parentResourceName() != null) {
      o.put("parent_resource", r.parentResourceName());
    }
    if (detail) {
      o.put("description", r.description() == null ? "" : r.description());
      o.set("attributes", r.attributes() == null ? Json.object() : r.attributes());
    }
    return o;
  }

  /**
   * A resource of a create preview, in the engine's own shape as Heat passes it through: identities
   * as objects, action and status apart, nothing made yet.
   */
  static ObjectNode preview(Stack stack, StackResource r) {
    ObjectNode o = Json.object();
    String stackId = stack.id() == null ? "None" : stack.id();
    o.put("resource_name", r.name());
    o.put("resource_type", r.type());
    o.put("resource_action", r.action().name());
    o.put("resource_status", r.status().name());
    o.put("resource_status_reason", r.statusReason() == null ? "" : r.statusReason());
    o.put("physical_resource_id", r.physicalId() == null ? "" : r.physicalId());
    o.put("description", r.description() == null ? "" : r.description());
    o.set("attributes", r.attributes() == null ? Json.object() : r.attributes());
    o.putObject("metadata");
    ArrayNode requiredBy = o.putArray("required_by");
    r.requiredBy().forEach(requiredBy::add);
    o.set("resource_identity", identity(stack, stackId, "/resources/" + r.name()));
    o.set("stack_identity", identity(stack, stackId, ""));
    o.put("stack_name", stack.name());
    o.put("creation_time", StackViews.time(r.createdAt()));
    o.put("updated_time", StackViews.time(r.updatedAt() != null ? r.updatedAt() : r.createdAt()));
    return o;
  }

  private static ObjectNode identity(Stack stack, String stackId, String path) {
    ObjectNode id = Json.object();
    id.put("tenant", stack.projectId());
    id.put("stack_name", stack.name());
    id.put("stack_id", stackId);
    id.put("path", path);
    return id;
  }
}
