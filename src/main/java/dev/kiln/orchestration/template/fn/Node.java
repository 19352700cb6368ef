package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A template snippet after parsing: literals, maps and lists of snippets, and function calls.
 * Subtrees without any function are kept as one {@link Literal}, so most of a template costs
 * nothing to evaluate.
 */
public sealed interface Node permits Node.Literal, Node.MapNode, Node.ListNode, Call {
  /** The snippet as written. */
  JsonNode raw();

  /** A value with no function in it. {@link Values#MISSING} stands for "leave this out". */
  record Literal(JsonNode value) implements Node {
    @Override
    public JsonNode raw() {
      return value;
    }
  }

  /** A map with at least one function somewhere below it; entries in template order. */
  record MapNode(Map<String, Node> entries, JsonNode raw) implements Node {}

  /** A list with at least one function somewhere below it. */
  record ListNode(List<Node> items, JsonNode raw) implements Node {}
}
