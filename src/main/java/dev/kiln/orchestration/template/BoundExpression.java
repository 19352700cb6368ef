package dev.kiln.orchestration.template;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.fn.Evaluator;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.TemplateError;
import dev.kiln.orchestration.template.fn.Values;
import java.util.Set;

/**
 * A snippet with its parameters bound: everything that did not need live resources is already a
 * value; the rest is evaluated by {@link #resolve}.
 */
final class BoundExpression implements Expression {
  private final Node node;
  private final JsonNode raw;
  private final BindScope scope;
  private final Set<String> references;

  BoundExpression(Node node, JsonNode raw, BindScope scope, Set<String> references) {
    this.node = requireNonNull(node, "node is null");
    this.raw = raw == null ? Values.JSON.nullNode() : raw;
    this.scope = scope;
    this.references = Set.copyOf(references);
  }

  static BoundExpression literal(JsonNode value) {
    return new BoundExpression(new Node.Literal(value), value, null, Set.of());
  }

  @Override
  public JsonNode resolve(Resolver resolver) {
    if (node instanceof Node.Literal l) {
      return l.value().isMissingNode() ? Values.JSON.nullNode() : l.value();
    }
    try {
      JsonNode v = Evaluator.eval(node, scope.withResolver(requireNonNull(resolver, "resolver is null")));
      return v.isMissingNode() ? Values.JSON.nullNode() : v;
    } catch (TemplateError e) {
      throw Errors.of(e);
    }
  }

  /** The value when nothing live is needed, else null. */
  JsonNode literalValue() {
    return node instanceof Node.Literal l ? l.value() : null;
  }

  Node node() {
    return node;
  }

  @Override
  public KnownProperties known() {
    com.fasterxml.jackson.databind.node.ObjectNode known = Values.object();
    java.util.Set<String> pending = new java.util.HashSet<>();
    if (node instanceof Node.Literal l && l.value().isObject()) {
      known.setAll((com.fasterxml.jackson.databind.node.ObjectNode) l.value());
    } else if (node instanceof Node.MapNode m) {
      m.entries().forEach((key, value) -> {
        if (value instanceof Node.Literal l) {
          known.set(key, l.value());
        } else {
          pending.add(key);
        }
      });
    }
    return new KnownProperties(known, pending);
  }

  @Override
  public Set<String> referencedResources() {
    return references;
  }

  @Override
  public JsonNode raw() {
    return raw;
  }

  @Override
  public String toString() {
    return raw.toString();
  }
}
