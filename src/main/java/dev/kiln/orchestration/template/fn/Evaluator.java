package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Evaluates parsed snippets. {@link #fold} is the binder's partial evaluation: everything that
 * does not need live resources becomes a literal (and fails now, with its path, if it is wrong);
 * what does stays a call for the engine, resolved later with {@link #eval}.
 */
public final class Evaluator {
  private Evaluator() {}

  /**
   * The value of a snippet; {@link Values#MISSING} when an {@code if} left it out. A function's
   * refusal comes out as it is, without the path (as Heat's functions fail when resolved); {@link
   * #fold} adds the path, as Heat's validation does.
   */
  public static JsonNode eval(Node node, Scope scope) {
    return switch (node) {
      case Node.Literal l -> l.value();
      case Node.MapNode m -> {
        ObjectNode out = Values.object();
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
          JsonNode v = eval(e.getValue(), scope);
          if (!v.isMissingNode()) {
            out.set(e.getKey(), v);
          }
        }
        yield out;
      }
      case Node.ListNode l -> {
        ArrayNode out = Values.array();
        for (Node item : l.items()) {
          JsonNode v = eval(item, scope);
          if (!v.isMissingNode()) {
            out.add(v);
          }
        }
        yield out;
      }
      case Call c -> {
        if (c.function() instanceof Macro macro) {
          yield eval(macro.expand(c, scope), scope);
        }
        JsonNode args = eval(c.args(), scope);
        yield c.function().apply(c.name(), args, scope);
      }
    };
  }

  /** Folds every part of {@code node} that can be computed without live resources. */
  public static Node fold(Node node, Scope scope) {
    return switch (node) {
      case Node.Literal l -> l;
      case Node.MapNode m -> {
        Map<String, Node> folded = new LinkedHashMap<>();
        boolean allLiteral = true;
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
          Node v = fold(e.getValue(), scope);
          if (v instanceof Node.Literal lit && lit.value().isMissingNode()) {
            continue;
          }
          allLiteral &= v instanceof Node.Literal;
          folded.put(e.getKey(), v);
        }
        if (allLiteral) {
          ObjectNode out = Values.object();
          folded.forEach((k, v) -> out.set(k, ((Node.Literal) v).value()));
          yield new Node.Literal(out);
        }
        yield new Node.MapNode(folded, m.raw());
      }
      case Node.ListNode l -> {
        List<Node> folded = new ArrayList<>(l.items().size());
        boolean allLiteral = true;
        for (Node item : l.items()) {
          Node v = fold(item, scope);
          if (v instanceof Node.Literal lit && lit.value().isMissingNode()) {
            continue;
          }
          allLiteral &= v instanceof Node.Literal;
          folded.add(v);
        }
        if (allLiteral) {
          ArrayNode out = Values.array();
          folded.forEach(v -> out.add(((Node.Literal) v).value()));
          yield new Node.Literal(out);
        }
        yield new Node.ListNode(folded, l.raw());
      }
      case Call c -> {
        if (c.function() instanceof Macro macro) {
          yield fold(expand(macro, c, scope), scope);
        }
        Node args = fold(c.args(), scope);
        if (args instanceof Node.Literal lit) {
          try {
            yield new Node.Literal(apply(c, lit.value(), scope));
          } catch (NeedsLive e) {
            yield c.withArgs(args);
          }
        }
        yield c.withArgs(args);
      }
    };
  }

  /** Adds the names of the resources {@code node} refers to. */
  public static void references(Node node, Predicate<String> isParameter, Set<String> out) {
    switch (node) {
      case Node.Literal l -> {}
      case Node.MapNode m -> m.entries().values().forEach(v -> references(v, isParameter, out));
      case Node.ListNode l -> l.items().forEach(v -> references(v, isParameter, out));
      case Call c -> {
        String ref = c.function().resourceReference(c.args(), isParameter);
        if (ref != null) {
          out.add(ref);
        }
        references(c.args(), isParameter, out);
      }
    }
  }

  /** Visits every call in {@code node}, outermost first. */
  public static void forEachCall(Node node, java.util.function.Consumer<Call> visitor) {
    switch (node) {
      case Node.Literal l -> {}
      case Node.MapNode m -> m.entries().values().forEach(v -> forEachCall(v, visitor));
      case Node.ListNode l -> l.items().forEach(v -> forEachCall(v, visitor));
      case Call c -> {
        visitor.accept(c);
        forEachCall(c.args(), visitor);
      }
    }
  }

  private static Node expand(Macro macro, Call c, Scope scope) {
    try {
      return macro.expand(c, scope);
    } catch (TemplateError e) {
      throw locate(c, e);
    }
  }

  private static JsonNode apply(Call c, JsonNode args, Scope scope) {
    try {
      return c.function().apply(c.name(), args, scope);
    } catch (TemplateError e) {
      throw locate(c, e);
    }
  }

  /** Heat's {@code StackValidationFailed(path=…, message=…)}: "path: message". */
  public static TemplateError locate(Call c, TemplateError e) {
    if (e.located()) {
      return e;
    }
    return new TemplateError("StackValidationFailed", c.path() + ": " + e.getMessage(), true);
  }
}
