package dev.kiln.orchestration.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a config's parts as Heat's SoftwareConfig schema has them: inputs and outputs are lists
 * of maps, each with a {@code name} and an optional {@code type} among Heat's parameter types;
 * options a map. A bad part is a 400 naming the part and what is wrong with it.
 */
final class ConfigShape {
  static final List<String> TYPES = List.of("String", "Number", "CommaDelimitedList", "Json", "Boolean");

  private ConfigShape() {}

  record Checked(String group, JsonNode config, ArrayNode inputs, ArrayNode outputs, ObjectNode options) {}

  static Checked check(SoftwareService.ConfigSpec spec) {
    String group = spec.group() == null || spec.group().isBlank() ? "Heat::Ungrouped" : spec.group();
    JsonNode config = spec.config() == null ? NullNode.instance : spec.config();
    ObjectNode options = JsonNodeFactory.instance.objectNode();
    if (spec.options() != null && !spec.options().isNull()) {
      if (!spec.options().isObject()) {
        throw bad("The options of a software config must be a map.");
      }
      options = ((ObjectNode) spec.options()).deepCopy();
    }
    return new Checked(
        group, config, items(spec.inputs(), "inputs"), items(spec.outputs(), "outputs"), options);
  }

  private static ArrayNode items(JsonNode node, String field) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw bad("The " + field + " of a software config must be a list.");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String where = field + "[" + i + "]";
      if (!item.isObject()) {
        throw bad(where + " must be a map.");
      }
      JsonNode name = item.get("name");
      if (name == null || !name.isTextual() || name.asText().isEmpty()) {
        throw bad(where + " needs a name.");
      }
      if (!names.add(name.asText())) {
        throw bad(where + ": the name \"" + name.asText() + "\" is used twice.");
      }
      JsonNode type = item.get("type");
      if (type != null && !type.isNull() && !TYPES.contains(type.asText())) {
        throw bad(where + ".type: \"" + type.asText() + "\" is not an allowed value [" + String.join(", ", TYPES) + "]");
      }
      out.add(item.deepCopy());
    }
    return out;
  }

  private static ServiceException bad(String message) {
    return ServiceException.invalid("HTTPBadRequest", message);
  }
}
