package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code map_merge: [map, map, …]}: later maps' keys win. */
public final class MapMerge implements Function {
  public static final MapMerge INSTANCE = new MapMerge();

  @Override
  public String description() {
    return "Merges maps into one; a key in a later map wins.";
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray()) {
      throw TemplateError.invalid("Incorrect arguments to \"" + name + "\" should be: \"" + name
          + "\" : [ { \"key1\": \"val1\" }, { \"key2\": \"val2\" } ]");
    }
    ObjectNode out = Values.object();
    for (JsonNode m : args) {
      if (Values.isNull(m)) {
        continue;
      }
      if (!m.isObject()) {
        String shown = Values.repr(m);
        throw TemplateError.invalid("Incorrect arguments: Items to merge must be maps. "
            + (shown.length() > 200 ? shown.substring(0, 200) : shown) + " is type "
            + PyTypes.typeRepr(m) + " instead of a dict");
      }
      out.setAll((ObjectNode) m);
    }
    return out;
  }
}
