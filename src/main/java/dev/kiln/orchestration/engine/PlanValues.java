package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Set;
import java.util.TreeSet;

/** How an update compares resolved values with what a row recorded, as Heat compares them. */
final class PlanValues {
  private PlanValues() {}

  /** Properties whose value differs, either way round (a property gone counts as changed). */
  static Set<String> changedKeys(JsonNode before, JsonNode after) {
    Set<String> keys = new TreeSet<>();
    before.fieldNames().forEachRemaining(keys::add);
    after.fieldNames().forEachRemaining(keys::add);
    keys.removeIf(k -> same(before.get(k), after.get(k)));
    return keys;
  }

  /**
   * JSON equality as Heat compares values: numbers by value (a stored {@code 0} read back as
   * another number type is the same {@code 0}).
   */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(NUMBERS_BY_VALUE, b);
  }

  private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE =
      (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
          return x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1;
        }
        return x.equals(y) ? 0 : 1;
      };

  static JsonNode nullToEmpty(JsonNode node) {
    return node == null || node.isNull() || (node.isObject() && node.isEmpty()) ? NullNode.instance : node;
  }
}
