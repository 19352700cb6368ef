package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.fn.Call;
import dev.kiln.orchestration.template.fn.Function;
import dev.kiln.orchestration.template.fn.If;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.Removed;
import dev.kiln.orchestration.template.fn.TemplateError;
import dev.kiln.orchestration.template.fn.Values;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Heat's {@code template.parse}: a one-key map whose key is a function of the version becomes a
 * call (its arguments parsed first), anything else stays data. Each call's arguments are checked
 * as written. Conditions are parsed with the version's condition functions, where every other
 * function is refused ({@code The function "x" is invalid in this context}).
 */
final class SnippetParser {
  private static final Function INVALID = new Invalid();

  private final Map<String, Function> functions;
  private final Map<String, Function> conditionFunctions;

  SnippetParser(TemplateFormat format) {
    this.functions = format.functions();
    Map<String, Function> conds = new LinkedHashMap<>();
    for (Map.Entry<String, Function> e : format.functions().entrySet()) {
      conds.put(e.getKey(), e.getValue() == Removed.INSTANCE ? Removed.INSTANCE : INVALID);
    }
    conds.putAll(format.conditionFunctions());
    this.conditionFunctions = conds;
  }

  Node parse(JsonNode snippet, String path) {
    return parse(snippet, path, functions);
  }

  Node parseCondition(JsonNode snippet, String path) {
    return parse(snippet, path, conditionFunctions);
  }

  private Node parse(JsonNode snippet, String path, Map<String, Function> table) {
    if (snippet == null) {
      return new Node.Literal(Values.JSON.nullNode());
    }
    if (snippet.isObject()) {
      if (snippet.size() == 1) {
        Map.Entry<String, JsonNode> only = snippet.properties().iterator().next();
        Function f = table.get(only.getKey());
        if (f != null) {
          return call(only.getKey(), f, only.getValue(), path + "." + only.getKey(), snippet, table);
        }
      }
      Map<String, Node> entries = new LinkedHashMap<>();
      boolean allLiteral = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = snippet.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Node child = parse(e.getValue(), path + "." + e.getKey(), table);
        allLiteral &= child instanceof Node.Literal;
        entries.put(e.getKey(), child);
      }
      return allLiteral ? new Node.Literal(snippet) : new Node.MapNode(entries, snippet);
    }
    if (snippet.isArray()) {
      List<Node> items = new ArrayList<>(snippet.size());
      boolean allLiteral = true;
      for (int i = 0; i < snippet.size(); i++) {
        Node child = parse(snippet.get(i), path + "[" + i + "]", table);
        allLiteral &= child instanceof Node.Literal;
        items.add(child);
      }
      return allLiteral ? new Node.Literal(snippet) : new Node.ListNode(items, snippet);
    }
    return new Node.Literal(snippet);
  }

  private Node call(
      String name, Function f, JsonNode rawArgs, String path, JsonNode raw, Map<String, Function> table) {
    Node args;
    try {
      if (f == INVALID) {
        throw TemplateError.invalid("The function \"" + name + "\" is invalid in this context");
      }
      if (f instanceof If && rawArgs.isArray() && !rawArgs.isEmpty()) {
        // The condition is parsed as a condition, the values as ordinary snippets.
        List<Node> items = new ArrayList<>();
        items.add(parseCondition(rawArgs.get(0), path));
        for (int i = 1; i < rawArgs.size(); i++) {
          items.add(parse(rawArgs.get(i), path, functions));
        }
        args = new Node.ListNode(items, rawArgs);
      } else {
        args = parse(rawArgs, path, table);
      }
      f.check(name, args);
    } catch (TemplateError e) {
      throw Errors.at(path, e);
    }
    return new Call(name, f, args, path, raw);
  }

  /** A function that exists in the version but is not allowed where it is used. */
  private static final class Invalid implements Function {
    @Override
    public String description() {
      return "";
    }

    @Override
    public JsonNode apply(String name, JsonNode args, dev.kiln.orchestration.template.fn.Scope scope) {
      throw TemplateError.invalid("The function \"" + name + "\" is invalid in this context");
    }
  }
}
