package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackPreview;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.resources.ResourceGroup;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.StackResourceType;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParameterDefinition;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.ResolvedType;
import dev.kiln.orchestration.template.Resolver;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resources of a create preview, as Heat's {@code preview_resources}: each in INIT with every
 * property of its type (resolved as far as it can be with nothing made) and every attribute
 * (null); a resource that would run a nested stack is the list of that stack's resources instead,
 * recursively. Nothing is stored.
 */
final class CreatePreviews {
  /** Heat's default {@code max_nested_stack_depth}. */
  private static final int MAX_DEPTH = 5;

  /** With nothing made, a reference is the resource's name and an attribute is null. */
  private static final Resolver NOTHING_MADE =
      new Resolver() {
        @Override
        public String resourceId(String resourceName) {
          return resourceName;
        }

        @Override
        public JsonNode attribute(String resourceName, String attributeName) {
          return NullNode.instance;
        }

        @Override
        public JsonNode allAttributes(String resourceName) {
          return JsonColumns.object();
        }

        @Override
        public List<String> availabilityZones() {
          return List.of("nova");
        }
      };

  private final Engine engine;
  private final Actor actor;

  CreatePreviews(Engine engine, Actor actor) {
    this.engine = requireNonNull(engine, "engine is null");
    this.actor = requireNonNull(actor, "actor is null");
  }

  /** The preview's items for {@code stack}, whose template {@code bound} is, read from {@code source}. */
  List<StackPreview.Item> items(Stack stack, BoundStack bound, TemplateSource source, int depth) {
    Map<String, List<String>> requiredBy = new LinkedHashMap<>();
    for (ResourceDefinition d : bound.resources()) {
      requiredBy.put(d.name(), new ArrayList<>());
    }
    for (ResourceDefinition d : bound.resources()) {
      d.dependsOn().stream().sorted().forEach(n -> {
        if (requiredBy.containsKey(n)) {
          requiredBy.get(n).add(d.name());
        }
      });
    }
    List<StackPreview.Item> out = new ArrayList<>();
    for (ResourceDefinition d : bound.resources()) {
      ResourceType type = engine.types().forImplementation(ResourceTypes.implementationName(d.implementation()));
      JsonNode properties = properties(d, type);
      StackPreview.Nested nested = type.nestedStack() && depth < MAX_DEPTH && properties != null
          ? nested(stack, d, properties, source, depth)
          : null;
      if (nested != null) {
        out.add(nested);
        continue;
      }
      ObjectNode attributes = JsonColumns.object();
      type.schema().attributes().keySet().stream().filter(a -> !a.equals("show")).forEach(a -> attributes.putNull(a));
      StackResource view = new StackResource(
          null, stack.name(), d.name(), null, d.type(), StackAction.INIT, StackStatus.COMPLETE, "", d.description(),
          requiredBy.get(d.name()), null, attributes, stack.parentResource(), null, null);
      out.add(new StackPreview.Resource(view, shown(type, properties)));
    }
    return out;
  }

  /** The properties resolved with nothing made, checked (defaults filled in) when they can be. */
  private JsonNode properties(ResourceDefinition d, ResourceType type) {
    JsonNode raw;
    try {
      raw = d.properties().resolve(NOTHING_MADE);
    } catch (RuntimeException unresolvable) {
      return null;
    }
    if (!type.checksProperties()) {
      return raw;
    }
    try {
      return engine.templates().checkProperties(d.name(), type.schema(), raw, engine.checkers().forOwner(actor));
    } catch (RuntimeException notYetValid) {
      return raw; // a value that only a made resource would give; show what is known
    }
  }

  /** Every property of the type, as Heat's preview lists them: null where unknown. */
  private static JsonNode shown(ResourceType type, JsonNode properties) {
    if (!type.checksProperties()) {
      return properties == null || !properties.isObject() ? JsonColumns.object() : properties;
    }
    ObjectNode out = JsonColumns.object();
    for (String key : type.schema().properties().keySet()) {
      JsonNode value = properties == null ? null : properties.get(key);
      out.set(key, value == null ? NullNode.instance : value);
    }
    return out;
  }

  /**
   * The template and parameter values a resource with these properties gives its nested stack.
   *
   * @param source the nested stack's template
   * @param given the values the resource gives (the nested template takes those it names)
   */
  record ChildSource(TemplateSource source, JsonNode given) {
    /** The given values the parsed nested template takes as parameters. */
    Map<String, JsonNode> parameters(ParsedStack parsed) {
      Set<String> takes = new HashSet<>();
      for (ParameterDefinition p : parsed.parameters()) {
        takes.add(p.name());
      }
      Map<String, JsonNode> parameters = new LinkedHashMap<>();
      given.fields().forEachRemaining(e -> {
        if (takes.contains(e.getKey()) && !e.getValue().isNull()) {
          parameters.put(e.getKey(), e.getValue());
        }
      });
      return parameters;
    }
  }

  /** What the resource would run as its nested stack; null when it runs none (or it is not known). */
  static ChildSource childSource(ResourceDefinition d, JsonNode properties, TemplateSource source) {
    if (d.implementation() instanceof ResolvedType.ProviderTemplate provider) {
      return new ChildSource(provider.source(), properties);
    }
    if (d.implementation() instanceof ResolvedType.Builtin b && b.type().equals(ResourceGroup.TYPE)) {
      return new ChildSource(
          new TemplateSource(
              ResourceGroup.childTemplate(properties), null, source.files(), source.environment(),
              source.environmentFiles()),
          JsonColumns.object());
    }
    if (d.implementation() instanceof ResolvedType.Builtin b && b.type().equals(StackResourceType.TYPE)
        && properties.path("template").isTextual()) {
      return new ChildSource(TemplateSource.ofText(properties.path("template").asText()), properties.path("parameters"));
    }
    return null;
  }

  /** The nested stack the resource would make, previewed; null when it cannot be read. */
  StackPreview.Nested nested(Stack parent, ResourceDefinition d, JsonNode properties, TemplateSource source, int depth) {
    ChildSource childSource = childSource(d, properties, source);
    if (childSource == null) {
      return null;
    }
    TemplateSource child = childSource.source();
    String name = parent.name() + "-" + d.name();
    try {
      ParsedStack parsed = engine.templates().parse(child, engine.types().lenientView());
      Map<String, JsonNode> parameters = childSource.parameters(parsed);
      BoundStack bound =
          parsed.bind(parameters, new PseudoParameters(name, engine.ids().uuid(), parent.projectId()),
              engine.checkers().forOwner(actor));
      Stack stack = new Stack(
          null, name, parent.projectId(), parent.ownerUserId(), StackAction.INIT, StackStatus.COMPLETE, "",
          parsed.description() == null ? "" : parsed.description(), Map.of(), List.of(), null, true, List.of(), null,
          d.name(), null, null, null);
      return new StackPreview.Nested(stack, items(stack, bound, child, depth + 1));
    } catch (RuntimeException unreadable) {
      return null; // shown as the resource itself
    }
  }
}
