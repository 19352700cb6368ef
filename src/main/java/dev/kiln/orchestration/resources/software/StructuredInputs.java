package dev.kiln.orchestration.resources.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.resources.ResourceError;
import java.util.Iterator;
import java.util.Map;

/**
 * A structured deployment's config: every {@code {<input_key>: name}} map in the structured config
 * is replaced by the input's value. STRICT refuses a name with no value; LAX makes it null.
 */
final class StructuredInputs {
  private StructuredInputs() {}

  static JsonNode substitute(JsonNode config, JsonNode values, String inputKey, String validation) throws ResourceError {
    if (config == null) {
      return null;
    }
    if (config.isObject()) {
      if (config.size() == 1 && config.has(inputKey)) {
        String name = config.get(inputKey).asText();
        JsonNode value = values.get(name);
        if (value == null) {
          if (validation.equals("STRICT")) {
            throw new ResourceError("UserParameterMissing", "The Parameter (" + name + ") was not provided.");
          }
          return JsonNodeFactory.instance.nullNode();
        }
        return value;
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), substitute(e.getValue(), values, inputKey, validation));
      }
      return out;
    }
    if (config.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : config) {
        out.add(substitute(item, values, inputKey, validation));
      }
      return out;
    }
    return config;
  }
}
