package dev.kiln.orchestration.template.yaql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.fn.Values;
import java.util.List;

/**
 * A parsed expression of Kiln's YAQL subset, for HOT's {@code yaql} function. Evaluated with
 * {@code $} bound to {@code {"data": <data>}}, as Heat does.
 *
 * <p>What the subset covers:
 *
 * <ul>
 *   <li>values: {@code $}, {@code $.data.key}, {@code $var} (a lambda's item is {@code $}),
 *       numbers, 'strings' and "strings", {@code true false null}, lists {@code [a, b]}, maps
 *       {@code {k => v}}, indexing {@code x[0]}, {@code x['key']}; {@code .key} on a list of maps
 *       maps over it, as YAQL does;
 *   <li>operators: {@code + - * / mod}, {@code = != < > <= >=}, {@code and or not}, {@code in};
 *       {@code +} also concatenates strings and lists;
 *   <li>collection methods: select, where (filter), selectMany, orderBy, orderByDescending,
 *       distinct, len / count, sum, max, min, first, last, any, all, skip, take (limit), join,
 *       contains, flatten, reverse, indexOf, concat, toList, keys, values, items, get, toDict;
 *   <li>string methods: toUpper, toLower, split, replace, startsWith, endsWith, trim, substring,
 *       indexOf, len, join;
 *   <li>functions: len, str, int, float, bool, list, range, coalesce, max, min, join, concat.
 * </ul>
 *
 * Not covered: YAQL's query syntax beyond method chains ({@code ->}, {@code #} operators),
 * user-defined functions, regular expressions ({@code =~}), sets, date/time functions, string
 * formatting ({@code format}, {@code %}) and the limits on iterations and memory (expressions
 * here are bounded by the template's own size).
 */
public final class YaqlExpression {
  private final YaqlNode root;

  private YaqlExpression(YaqlNode root) {
    this.root = root;
  }

  /** @throws IllegalArgumentException with the parse error */
  public static YaqlExpression parse(String text) {
    return new YaqlExpression(YaqlParser.parse(text));
  }

  /** @throws IllegalArgumentException with the evaluation error */
  public JsonNode evaluate(JsonNode data) {
    ObjectNode context = Values.object();
    context.set("data", data);
    return new YaqlEvaluator().eval(root, context, java.util.Map.of());
  }

  static ArrayNode list(List<JsonNode> items) {
    ArrayNode a = Values.array();
    items.forEach(a::add);
    return a;
  }
}
