package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.orchestration.NestedTemplate;
import dev.kiln.orchestration.resources.ResourceGroup;
import dev.kiln.orchestration.resources.StackResourceType;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ConstraintChecker;
import dev.kiln.orchestration.template.ParameterDefinition;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.ResolvedType;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nested templates of a template being validated (Heat's {@code get_nested_parameters}):
 * for each resource that runs a nested stack, its template parsed and the parameter values its
 * properties give it, as far as they are known with nothing made. Nothing is stored.
 */
final class NestedTemplates {
  /** Heat's default {@code max_nested_stack_depth}. */
  private static final int MAX_DEPTH = 5;

  private final Engine engine;

  NestedTemplates(Engine engine) {
    this.engine = requireNonNull(engine, "engine is null");
  }

  List<NestedTemplate> of(Actor actor, TemplateSource source, ParsedStack parsed, Map<String, JsonNode> parameters) {
    return of(actor, source, parsed, parameters, 0);
  }

  private List<NestedTemplate> of(
      Actor actor, TemplateSource source, ParsedStack parsed, Map<String, JsonNode> parameters, int depth) {
    if (depth >= MAX_DEPTH) {
      return List.of();
    }
    BoundStack bound;
    try {
      bound = parsed.bind(
          known(parsed, parameters), new PseudoParameters("validate", "validate", actor.projectId()),
          ConstraintChecker.NONE);
    } catch (RuntimeException unbound) {
      return List.of(); // a parameter without a value: the nested templates' values are unknown
    }
    List<NestedTemplate> out = new ArrayList<>();
    for (ResourceDefinition definition : bound.resources()) {
      JsonNode properties = definition.properties().known().known();
      TemplateSource child = childSource(source, definition, properties);
      if (child == null) {
        continue;
      }
      ParsedStack childParsed;
      try {
        childParsed = engine.templates().parse(child, engine.types().lenientView());
      } catch (RuntimeException unparsable) {
        continue; // validate already refused what it must; a nested template it cannot read has no parameters to show
      }
      Map<String, JsonNode> values = new LinkedHashMap<>();
      JsonNode given = definition.implementation() instanceof ResolvedType.ProviderTemplate
          ? properties
          : isType(definition, StackResourceType.TYPE) ? properties.path("parameters") : null;
      if (given != null) {
        given.fields().forEachRemaining(e -> {
          if (!e.getValue().isNull()) {
            values.put(e.getKey(), e.getValue());
          }
        });
      }
      Map<String, JsonNode> shown = known(childParsed, values);
      out.add(new NestedTemplate(
          definition.name(), definition.type(), childParsed, shown, of(actor, child, childParsed, shown, depth + 1)));
    }
    return out;
  }

  /** The values among {@code values} that the template takes as parameters. */
  private static Map<String, JsonNode> known(ParsedStack parsed, Map<String, JsonNode> values) {
    Set<String> names = new HashSet<>();
    for (ParameterDefinition p : parsed.parameters()) {
      names.add(p.name());
    }
    Map<String, JsonNode> out = new LinkedHashMap<>(values);
    out.keySet().retainAll(names);
    return out;
  }

  private static boolean isType(ResourceDefinition definition, String type) {
    return definition.implementation() instanceof ResolvedType.Builtin b && b.type().equals(type);
  }

  /** The template the resource would run as its nested stack, or null when it runs none. */
  private static TemplateSource childSource(TemplateSource parent, ResourceDefinition definition, JsonNode properties) {
    if (definition.implementation() instanceof ResolvedType.ProviderTemplate provider) {
      return provider.source();
    }
    if (isType(definition, ResourceGroup.TYPE) && properties.path("resource_def").isObject()) {
      return new TemplateSource(
          ResourceGroup.oneMember(properties), null, parent.files(), parent.environment(), parent.environmentFiles());
    }
    if (isType(definition, StackResourceType.TYPE) && properties.path("template").isTextual()) {
      return TemplateSource.ofText(properties.path("template").asText());
    }
    return null;
  }
}
