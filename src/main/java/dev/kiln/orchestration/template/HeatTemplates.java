package dev.kiln.orchestration.template;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.fn.Function;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.Removed;
import dev.kiln.orchestration.template.fn.Values;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kiln's implementation of Heat's template language (HOT 2013-05-23 … 2021-04-16 with the release
 * aliases, and CFN). Stateless and thread-safe: one instance serves every stack.
 */
public final class HeatTemplates implements TemplateLanguage {

  public HeatTemplates() {}

  /** Each resource with the implicit dependencies its type finds among the others. */
  private static List<ResourceSpec> implicitDependencies(
      List<ResourceSpec> resources, ResourceTypeCatalog types, Keys keys) {
    List<TemplateResource> all = new java.util.ArrayList<>(resources.size());
    for (ResourceSpec r : resources) {
      String builtin = r.implementation() instanceof ResolvedType.Builtin b ? b.type() : null;
      all.add(new TemplateResource(r.name(), builtin, r.raw() == null ? null : r.raw().get(keys.properties())));
    }
    List<ResourceSpec> out = new java.util.ArrayList<>(resources.size());
    for (int i = 0; i < resources.size(); i++) {
      ResourceSpec r = resources.get(i);
      Set<String> implicit = all.get(i).type() == null ? Set.of() : types.implicitDependencies(all.get(i), all);
      Set<String> extra = new java.util.TreeSet<>(implicit);
      extra.remove(r.name());
      out.add(extra.isEmpty() ? r : r.withImplicit(extra));
    }
    return out;
  }

  @Override
  public ParsedStack parse(TemplateSource source, ResourceTypeCatalog types) {
    requireNonNull(source, "source is null");
    requireNonNull(types, "types is null");
    JsonNode tree;
    if (source.template() != null) {
      TemplateReader.checkSize(serializedLength(source.template()));
      tree = source.template();
      if (!tree.isObject()) {
        throw Errors.badRequest("Template not in valid format: The template is not a JSON object or YAML mapping.");
      }
    } else {
      tree = TemplateReader.parseTemplate(source.templateText(), "[root stack]");
    }
    TemplateFormat format = Versions.of(tree);
    TemplateParser parser = new TemplateParser(format, tree, Environments.empty(), types, source);
    parser.checkSections();
    Keys keys = parser.keys();
    List<ParameterDefinition> params =
        ParameterSchemas.read(format, TemplateParser.section(tree, keys.parameters()));
    ObjectNode env = Environments.merge(source, params, !format.isHot());
    parser = new TemplateParser(format, tree, env, types, source);
    List<ParameterGroup> groups = parser.parameterGroups(params);
    Map<String, Node> conditions = parser.conditions();
    List<ResourceSpec> resources = implicitDependencies(parser.resources(), types, keys);
    List<OutputSpec> outputs = parser.outputs();
    Set<String> paramNames = new java.util.HashSet<>();
    params.forEach(p -> paramNames.add(p.name()));
    paramNames.addAll(format.isHot()
        ? List.of("OS::stack_name", "OS::stack_id", "OS::project_id")
        : List.of("AWS::StackId", "AWS::StackName", "AWS::Region"));
    StaticChecks.check(resources, outputs, paramNames, !format.isHot());
    ConditionChecks.check(conditions, resources, !format.isHot());
    JsonNode desc = tree.get(keys.description());
    JsonNode mappings = format.isHot() ? Values.object() : TemplateParser.section(tree, "Mappings");
    ParsedTemplate parsed = new ParsedTemplate(format, tree.get(format.key()).textValue(),
        desc == null || desc.isNull() ? "No description" : Values.str(desc), params, groups, env,
        tree, source.files(), conditions, resources, outputs, mappings);
    // Parameter schemas and defaults are checked now, values when the stack is bound.
    ParameterBinding.bind(!format.isHot(), params, Map.of(),
        Environments.asMap(env.get("parameter_defaults")), ConstraintChecker.NONE, false);
    return parsed;
  }

  private static int serializedLength(JsonNode template) {
    try {
      return TemplateReader.JSON.writeValueAsBytes(template).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public JsonNode checkProperties(
      String resourceName, ResourceSchema schema, JsonNode resolved, ConstraintChecker checker) {
    return PropertyChecker.check(resourceName, schema, resolved, checker, false);
  }

  @Override
  public List<TemplateVersion> versions() {
    List<TemplateVersion> out = new ArrayList<>();
    for (TemplateFormat f : Versions.ALL) {
      List<String> aliases = new ArrayList<>();
      f.aliases().forEach(a -> aliases.add(f.key() + "." + a));
      out.add(new TemplateVersion(f.fullName(), f.isHot() ? "hot" : "cfn", aliases));
    }
    return out;
  }

  /**
   * As Heat's engine answers it: with {@code conditionFunctionsOnly}, the version's functions
   * together with its condition functions (Heat adds the latter to the former).
   */
  @Override
  public List<TemplateFunction> functions(String version, boolean conditionFunctionsOnly) {
    TemplateFormat f = Versions.byFullName(version);
    Map<String, Function> all = new LinkedHashMap<>(f.functions());
    if (conditionFunctionsOnly) {
      all.putAll(f.conditionFunctions());
    }
    List<TemplateFunction> out = new ArrayList<>();
    all.forEach((name, fn) -> {
      if (fn != Removed.INSTANCE) {
        out.add(new TemplateFunction(name, fn.description()));
      }
    });
    return out;
  }

  /** Thrown types are always ServiceException; this keeps the import honest for readers. */
  static Class<ServiceException> failureType() {
    return ServiceException.class;
  }
}
