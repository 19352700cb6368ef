package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/** {@code list_concat: [list, list, …]} and {@code list_concat_unique} (first occurrence kept). */
public final class ListConcat implements Function {
  public static final ListConcat ALL = new ListConcat(false);
  public static final ListConcat UNIQUE = new ListConcat(true);

  private final boolean unique;

  private ListConcat(boolean unique) {
    this.unique = unique;
  }

  @Override
  public String description() {
    return unique
        ? "Concatenates lists into one, keeping only the first occurrence of each item."
        : "Concatenates lists into one.";
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray()) {
      throw TemplateError.invalid("Incorrect arguments to \"" + name + "\" should be: \"" + name
          + "\" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]");
    }
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode list : args) {
      if (Values.isNull(list)) {
        continue;
      }
      if (!list.isArray()) {
        throw TemplateError.invalid("Incorrect arguments: Items to concat must be lists. "
            + Values.dumps(args, false) + " contains an item that is not a list: "
            + Values.dumps(list, false));
      }
      list.forEach(all::add);
    }
    ArrayNode out = Values.array();
    List<JsonNode> seen = new ArrayList<>();
    for (JsonNode item : all) {
      if (unique) {
        if (Values.pyContains(seen, item)) {
          continue;
        }
        seen.add(item);
      }
      out.add(item);
    }
    return out;
  }
}
