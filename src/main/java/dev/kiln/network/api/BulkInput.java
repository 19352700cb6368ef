package dev.kiln.network.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import java.util.ArrayList;
import java.util.List;

/**
 * A create body that is either one resource ({@code {"network": {...}}}) or Neutron's bulk form
 * ({@code {"networks": [{...}, ...]}}), read item by item with paths that name the item.
 */
record BulkInput(boolean bulk, List<JsonInput> items) {
  static BulkInput read(JsonNode body, String singular, String plural) {
    if (body instanceof ObjectNode root && root.has(plural) && !root.has(singular)) {
      JsonInput top = JsonInput.root(body);
      top.allowOnly(plural);
      JsonNode list = root.get(plural);
      if (!list.isArray() || list.isEmpty()) {
        throw ApiError.badRequest(
            "HTTPBadRequest", "Invalid input for field '" + plural + "': expected a non-empty list of objects.");
      }
      List<JsonInput> items = new ArrayList<>();
      for (JsonInput item : top.optionalObjectList(plural).orElseThrow()) {
        items.add(item);
      }
      return new BulkInput(true, items);
    }
    return new BulkInput(false, List.of(JsonInput.wrapped(body, singular)));
  }

  /** The answer: the one resource, or all of them in the bulk form. */
  ObjectNode answer(String singular, String plural, List<ObjectNode> rendered) {
    if (!bulk) {
      return Json.wrap(singular, rendered.getFirst());
    }
    ObjectNode body = Json.object();
    ArrayNode array = body.putArray(plural);
    rendered.forEach(array::add);
    return body;
  }
}
