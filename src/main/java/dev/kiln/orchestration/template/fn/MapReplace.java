package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** {@code map_replace: [map, {keys: {old: new}, values: {old: new}}]}. */
public final class MapReplace implements Function {
  public static final MapReplace INSTANCE = new MapReplace();

  @Override
  public String description() {
    return "Renames keys and replaces values of a map.";
  }

  private static String usage(String name) {
    return "Incorrect arguments to \"" + name + "\" should be: \"" + name
        + "\" : [ { \"key1\": \"val1\" }, {\"keys\": {\"key1\": \"key2\"}, \"values\": {\"val1\": \"val2\"}}]";
  }

  private static JsonNode ensureMap(JsonNode m, String name) {
    if (Values.isNull(m)) {
      return Values.object();
    }
    if (!m.isObject()) {
      throw TemplateError.invalid("Incorrect arguments: to \"" + name
          + "\", arguments must be a list of maps. Example:  " + usage(name).substring(
              usage(name).indexOf("should be: ") + "should be: ".length()));
    }
    return m;
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() != 2) {
      throw TemplateError.invalid(usage(name));
    }
    JsonNode in = ensureMap(args.get(0), name);
    JsonNode repl = ensureMap(args.get(1), name);
    for (Iterator<String> it = repl.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("keys") && !k.equals("values")) {
        throw TemplateError.invalid(usage(name));
      }
    }
    JsonNode keys = ensureMap(repl.get("keys"), name);
    JsonNode values = ensureMap(repl.get("values"), name);
    ObjectNode out = Values.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode renamed = keys.get(key);
      if (renamed != null && !renamed.isNull()) {
        String newKey = Values.str(renamed);
        if (in.has(newKey) && !newKey.equals(key)) {
          throw TemplateError.invalid(
              "key replacement " + newKey + " collides with a key in the input map");
        }
        if (out.has(newKey)) {
          throw TemplateError.invalid(
              "key replacement " + newKey + " collides with a key in the output map");
        }
        key = newKey;
      }
      JsonNode v = e.getValue();
      // Only hashable (scalar) values can be looked up, as in Heat.
      if (Values.isScalar(v) && v.isTextual() && values.has(v.textValue())) {
        v = values.get(v.textValue());
      } else if (Values.isScalar(v) && !v.isTextual() && values.has(Values.scalarText(v))) {
        // JSON keys are strings; a YAML map keyed by 1 or true reaches here as "1"/"true".
        v = values.get(Values.scalarText(v));
      }
      out.set(key, v);
    }
    return out;
  }
}
