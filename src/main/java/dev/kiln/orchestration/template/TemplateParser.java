package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.PyTypes;
import dev.kiln.orchestration.template.fn.Values;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a template's sections into parsed resources, outputs and conditions, refusing malformed
 * sections with Heat's messages ({@code template.validate}, {@code validate_section}, {@code
 * _rsrc_defn_args}). Resource types are resolved through the environment's registry here.
 */
final class TemplateParser {
  private final TemplateFormat format;
  private final Keys keys;
  private final SnippetParser snippets;
  private final JsonNode template;
  private final Registry registry;
  private final ObjectNode environment;
  private final ResourceTypeCatalog catalog;
  private final TemplateSource source;
  private final Map<String, ResourceSchema> providerSchemas = new java.util.HashMap<>();

  TemplateParser(
      TemplateFormat format,
      JsonNode template,
      ObjectNode environment,
      ResourceTypeCatalog catalog,
      TemplateSource source) {
    this.format = format;
    this.keys = Keys.of(format);
    this.snippets = new SnippetParser(format);
    this.template = template;
    this.environment = environment;
    this.registry = new Registry(environment.get("resource_registry"));
    this.catalog = catalog;
    this.source = source;
  }

  Keys keys() {
    return keys;
  }

  SnippetParser snippets() {
    return snippets;
  }

  /** Heat's {@code Template.validate}: every top-level key is a section of this version. */
  void checkSections() {
    for (Iterator<String> it = template.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!keys.sections().contains(k)) {
        throw Errors.invalid("InvalidTemplateSection", "The template section is invalid: " + k);
      }
    }
  }

  static JsonNode section(JsonNode template, String name) {
    JsonNode s = template.get(name);
    return s == null || s.isNull() ? Values.object() : s;
  }

  Map<String, Node> conditions() {
    Map<String, Node> out = new LinkedHashMap<>();
    if (!format.hasConditions()) {
      return out;
    }
    JsonNode defs = template.get(keys.conditions());
    if (defs == null || defs.isNull()) {
      return out;
    }
    if (!defs.isObject()) {
      throw Errors.validation("Conditions validation error", null,
          "Condition definitions must be a map. Found a " + PyTypes.name(defs) + " instead");
    }
    defs.fields().forEachRemaining(e -> out.put(e.getKey(),
        snippets.parseCondition(e.getValue(), keys.conditions() + "." + e.getKey())));
    return out;
  }

  List<ResourceSpec> resources() {
    JsonNode section = section(template, keys.resources());
    if (!section.isObject()) {
      throw Errors.validation("\"" + keys.resources() + "\" must contain a map of resource maps. Found a ["
          + PyTypes.typeRepr(section) + "] instead");
    }
    // Heat checks the definitions in name order, so the first error it reports is the same here.
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    section.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.forEach(this::checkResourceShape);
    List<ResourceSpec> out = new ArrayList<>();
    section.fields().forEachRemaining(e -> out.add(resource(e.getKey(), e.getValue())));
    return out;
  }

  private void checkResourceShape(String name, JsonNode def) {
    if (format.isHot()) {
      if (def == null || def.isNull() || (def.isContainerNode() && def.isEmpty())
          || (def.isTextual() && def.textValue().isEmpty())) {
        throw Errors.validation("Each resource must contain a type key.");
      }
      if (!def.isObject()) {
        throw Errors.validation("\"resources\" must contain a map of resource maps. Found a ["
            + PyTypes.typeRepr(def) + "] instead");
      }
      for (Iterator<String> it = def.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!keys.resourceKeys().contains(k)) {
          throw Errors.validation("\"" + k + "\" is not a valid keyword inside a resource definition");
        }
      }
      if (!def.has("type")) {
        throw Errors.validation("Each resource must contain a type key.");
      }
    } else {
      if (def != null && !def.isNull() && !def.isObject()) {
        throw Errors.validation("Resources must contain Resource. Found a [" + PyTypes.typeRepr(def) + "] instead");
      }
      if (def == null || def.isNull() || def.isEmpty() || Values.isNull(def.get("Type"))
          || (def.get("Type").isTextual() && def.get("Type").textValue().isEmpty())) {
        throw Errors.validation("Each Resource must contain a Type key.");
      }
    }
  }

  private String fieldPath(String name, String key) {
    return keys.resources() + "." + name + "." + key;
  }

  private Node objectField(String name, JsonNode def, String key) {
    JsonNode raw = def.get(key);
    if (raw == null) {
      return new Node.Literal(Values.JSON.nullNode());
    }
    Node parsed = snippets.parse(raw, fieldPath(name, key));
    if (!(parsed instanceof dev.kiln.orchestration.template.fn.Call) && !raw.isObject() && !raw.isNull()) {
      throw Errors.validation("Resource " + name + " " + key + " type must be object");
    }
    return parsed;
  }

  private ResourceSpec resource(String name, JsonNode def) {
    JsonNode typeNode = def.get(keys.type());
    if (!typeNode.isTextual()) {
      throw Errors.validation("Resource " + name + " " + keys.type() + " type must be string");
    }
    String type = typeNode.textValue();
    Node properties = objectField(name, def, keys.properties());
    Node metadata = objectField(name, def, keys.metadata());
    Node updatePolicy = objectField(name, def, keys.updatePolicy());
    List<String> dependsOn = new ArrayList<>();
    JsonNode deps = def.get(keys.dependsOn());
    if (deps != null && !deps.isNull()) {
      if (deps.isTextual()) {
        dependsOn.add(deps.textValue());
      } else if (deps.isArray()) {
        for (JsonNode d : deps) {
          if (!d.isTextual()) {
            throw Errors.validation("Resource " + name + " " + keys.dependsOn() + " must be a list of strings");
          }
          dependsOn.add(d.textValue());
        }
      } else {
        throw Errors.validation("Resource " + name + " " + keys.dependsOn() + " type must be list or string");
      }
    }
    Node deletion = null;
    JsonNode del = def.get(keys.deletionPolicy());
    if (del != null && !del.isNull()) {
      deletion = snippets.parse(del, fieldPath(name, keys.deletionPolicy()));
      if (deletion instanceof Node.Literal l) {
        if (!l.value().isTextual()) {
          throw Errors.validation("Resource " + name + " " + keys.deletionPolicy() + " type must be string");
        }
        DeletionPolicies.of(format, l.value().textValue());
      }
    }
    String description = "";
    JsonNode desc = def.get(keys.resourceDescription());
    if (desc != null && !desc.isNull()) {
      if (!desc.isTextual()) {
        throw Errors.validation("Resource " + name + " " + keys.resourceDescription() + " type must be string");
      }
      description = desc.textValue();
    }
    Node externalId = null;
    if (keys.externalId() != null && def.has(keys.externalId()) && !def.get(keys.externalId()).isNull()) {
      externalId = snippets.parse(def.get(keys.externalId()), fieldPath(name, keys.externalId()));
      if (externalId instanceof Node.Literal l && !l.value().isTextual()) {
        throw Errors.validation("Resource " + name + " " + keys.externalId() + " type must be string");
      }
    }
    Node condition = null;
    if (format.hasConditions() && def.has(keys.condition()) && !def.get(keys.condition()).isNull()) {
      condition = snippets.parseCondition(def.get(keys.condition()), fieldPath(name, keys.condition()));
      if (condition instanceof Node.Literal l && !l.value().isTextual() && !l.value().isBoolean()) {
        throw Errors.validation("Resource " + name + " " + keys.condition() + " type must be "
            + (format.isHot() ? "string_or_boolean" : "string or boolean"));
      }
    }
    ResolvedType implementation = resolveType(name, type);
    ResourceSchema schema = catalog.lenient() ? null : switch (implementation) {
      case ResolvedType.Builtin b -> catalog.checksProperties(b.type()) ? catalog.schema(b.type()).orElse(null) : null;
      case ResolvedType.ProviderTemplate p ->
          providerSchemas.computeIfAbsent(p.templateName(), n -> ProviderSchemas.of(p));
    };
    return new ResourceSpec(name, type, implementation, schema, properties, metadata, dependsOn,
        deletion, updatePolicy, externalId, condition, description, registry.hooks(name), def, java.util.Set.of());
  }

  private ResolvedType resolveType(String name, String type) {
    if (type.isEmpty()) {
      throw Errors.validation("Resource \"" + name + "\" has no type");
    }
    String resolved = registry.resolve(type, name);
    if (Registry.isTemplateName(resolved) || source.files().containsKey(resolved) && !catalogHas(resolved)) {
      String text = source.files().get(resolved);
      if (text == null) {
        throw Errors.validation("Could not fetch remote template \"" + resolved
            + "\": Kiln reads provider templates only from the files sent with the request.");
      }
      ObjectNode nestedEnv = environment.deepCopy();
      nestedEnv.set("resource_registry", registry.forNested(name));
      // Heat's get_child_environment: the parent's parameters are not the child's (its are the
      // resource's properties); parameter_defaults carry on.
      nestedEnv.remove("parameters");
      return new ResolvedType.ProviderTemplate(resolved,
          new TemplateSource(null, text, source.files(), nestedEnv, List.of()));
    }
    if (catalogHas(resolved)) {
      return new ResolvedType.Builtin(resolved);
    }
    throw Errors.validation("The Resource Type (" + type + ") could not be found.");
  }

  private boolean catalogHas(String type) {
    Optional<ResourceSchema> s = catalog.schema(type);
    return s.isPresent();
  }

  List<OutputSpec> outputs() {
    JsonNode section = section(template, keys.outputs());
    List<OutputSpec> out = new ArrayList<>();
    if (!section.isObject()) {
      throw Errors.validation("\"" + keys.outputs() + "\" must contain a map of output maps. Found a ["
          + PyTypes.typeRepr(section) + "] instead");
    }
    if (format.isHot()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      section.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
      sorted.forEach((name, def) -> {
        if (def == null || def.isNull() || (def.isContainerNode() && def.isEmpty())) {
          throw Errors.validation("Each output must contain a value key.");
        }
        if (!def.isObject()) {
          throw Errors.validation("\"outputs\" must contain a map of output maps. Found a ["
              + PyTypes.typeRepr(def) + "] instead");
        }
        def.fieldNames().forEachRemaining(k -> {
          if (!keys.outputKeys().contains(k)) {
            throw Errors.validation("\"" + k + "\" is not a valid keyword inside a output definition");
          }
        });
        if (!def.has("value")) {
          throw Errors.validation("Each output must contain a value key.");
        }
      });
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode def = e.getValue();
      String path = keys.outputs() + "." + name;
      if (!def.isObject()) {
        throw Errors.validation("Output validation error", path,
            "Output definitions must be a map. Found a " + PyTypes.name(def) + " instead");
      }
      if (!def.has(keys.value())) {
        throw Errors.validation("Output validation error", path,
            "Each output definition must contain a " + keys.value() + " key.");
      }
      Node condition = null;
      if (format.hasConditions() && def.has(keys.condition()) && !def.get(keys.condition()).isNull()) {
        condition = snippets.parseCondition(def.get(keys.condition()), path + "." + keys.condition());
      }
      JsonNode desc = def.get(keys.outputDescription());
      out.add(new OutputSpec(name, desc == null || desc.isNull() ? "No description given" : Values.str(desc),
          snippets.parse(def.get(keys.value()), path + "." + keys.value()), condition, path + "." + keys.value()));
    }
    return out;
  }

  List<ParameterGroup> parameterGroups(List<ParameterDefinition> params) {
    List<ParameterGroup> out = new ArrayList<>();
    JsonNode groups = format.isHot() ? template.get("parameter_groups") : null;
    if (groups == null || groups.isNull() || (groups.isContainerNode() && groups.isEmpty())) {
      return out;
    }
    if (!groups.isArray()) {
      throw Errors.validation("Parameter Groups error", "parameter_groups",
          "The parameter_groups should be a list.");
    }
    List<String> grouped = new ArrayList<>();
    for (JsonNode g : groups) {
      String label = g.has("label") ? Values.str(g.get("label")) : "";
      String path = label.isEmpty() ? "parameter_groups" : "parameter_groups." + label;
      JsonNode ps = g.get("parameters");
      if (ps == null || ps.isNull()) {
        throw Errors.validation("Parameter Groups error", path,
            "The parameters must be provided for each parameter group.");
      }
      if (!ps.isArray()) {
        throw Errors.validation("Parameter Groups error", path,
            "The parameters of parameter group should be a list.");
      }
      List<String> names = new ArrayList<>();
      for (JsonNode p : ps) {
        String pname = Values.str(p);
        if (grouped.contains(pname)) {
          throw Errors.validation("Parameter Groups error", path,
              "The " + pname + " parameter must be assigned to one parameter group only.");
        }
        grouped.add(pname);
        if (params.stream().noneMatch(d -> d.name().equals(pname))) {
          throw Errors.validation("Parameter Groups error", path,
              "The grouped parameter " + pname + " does not reference a valid parameter.");
        }
        names.add(pname);
      }
      out.add(new ParameterGroup(g.has("label") ? label : null,
          g.has("description") ? Values.str(g.get("description")) : null, names));
    }
    return out;
  }
}
