package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.fn.Evaluator;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.Scope;
import dev.kiln.orchestration.template.fn.TemplateError;
import dev.kiln.orchestration.template.fn.Values;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The scope of one bound stack: parameter values, conditions (each evaluated once, on first use,
 * with Heat's messages for unknown and circular ones), files, mappings, the template's resource
 * names, and — once the engine resolves against live resources — a {@link Resolver}.
 */
final class BindScope implements Scope {
  private final Map<String, JsonNode> parameters;
  private final Map<String, Node> conditions;
  private final Map<String, Boolean> resolved;
  private final Map<String, String> files;
  private final JsonNode mappings;
  private final Set<String> resources;
  private final Resolver resolver;
  private final JsonNode facade;

  BindScope(
      Map<String, JsonNode> parameters,
      Map<String, Node> conditions,
      Map<String, String> files,
      JsonNode mappings,
      Set<String> resources,
      JsonNode facade) {
    this(parameters, conditions, new HashMap<>(), files, mappings, resources, null, facade);
  }

  private BindScope(
      Map<String, JsonNode> parameters,
      Map<String, Node> conditions,
      Map<String, Boolean> resolved,
      Map<String, String> files,
      JsonNode mappings,
      Set<String> resources,
      Resolver resolver,
      JsonNode facade) {
    this.parameters = parameters;
    this.conditions = conditions;
    this.resolved = resolved;
    this.files = files;
    this.mappings = mappings;
    this.resources = resources;
    this.resolver = resolver;
    this.facade = facade;
  }

  /** The same scope reading live resources through {@code live}. */
  BindScope withResolver(Resolver live) {
    // Conditions are all resolved at bind time; the map is only read from here on.
    return new BindScope(parameters, conditions, resolved, files, mappings, resources, live, facade);
  }

  @Override
  public boolean isParameter(String name) {
    return parameters.containsKey(name);
  }

  @Override
  public JsonNode parameter(String name) {
    JsonNode v = parameters.get(name);
    if (v == null) {
      throw new TemplateError("UserParameterMissing", "The Parameter (" + name + ") was not provided.", false);
    }
    return v;
  }

  @Override
  public synchronized boolean condition(String name) {
    if (!conditions.containsKey(name)) {
      throw TemplateError.invalid("Invalid condition \"" + name + "\"");
    }
    Boolean known = resolved.get(name);
    if (known != null) {
      return known;
    }
    if (resolved.containsKey(name)) {
      throw new TemplateError("StackValidationFailed",
          "Condition validation error: Circular definition for condition \"" + name + "\"", true);
    }
    resolved.put(name, null);
    Node definition = conditions.get(name);
    if (definition instanceof Node.Literal l && !l.value().isBoolean()) {
      throw invalidDefinition(name, l.value());
    }
    JsonNode v = Evaluator.eval(definition, this);
    if (!v.isBoolean()) {
      throw invalidDefinition(name, v);
    }
    resolved.put(name, v.booleanValue());
    return v.booleanValue();
  }

  private static TemplateError invalidDefinition(String name, JsonNode definition) {
    return new TemplateError("StackValidationFailed", "Condition validation error: The definition of condition \""
        + name + "\" is invalid: " + Values.str(definition), true);
  }

  @Override
  public String file(String name) {
    return files.get(name);
  }

  @Override
  public JsonNode mappings() {
    return mappings;
  }

  @Override
  public boolean hasResource(String name) {
    return resources.contains(name);
  }

  @Override
  public JsonNode facade() {
    return facade;
  }

  @Override
  public Resolver resolver() {
    return resolver;
  }
}
