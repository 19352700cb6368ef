package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.fn.Node;
import java.util.List;
import java.util.Map;

/** A parsed, statically checked template with its merged environment. Immutable. */
final class ParsedTemplate implements ParsedStack {
  final TemplateFormat format;
  final String writtenVersion;
  final String description;
  final List<ParameterDefinition> parameters;
  final List<ParameterGroup> groups;
  final ObjectNode environmentJson;
  final Environment environment;
  final JsonNode template;
  final Map<String, String> files;
  final Map<String, Node> conditions;
  final List<ResourceSpec> resources;
  final List<OutputSpec> outputs;
  final JsonNode mappings;

  ParsedTemplate(
      TemplateFormat format,
      String writtenVersion,
      String description,
      List<ParameterDefinition> parameters,
      List<ParameterGroup> groups,
      ObjectNode environmentJson,
      JsonNode template,
      Map<String, String> files,
      Map<String, Node> conditions,
      List<ResourceSpec> resources,
      List<OutputSpec> outputs,
      JsonNode mappings) {
    this.format = format;
    this.writtenVersion = writtenVersion;
    this.description = description;
    this.parameters = List.copyOf(parameters);
    this.groups = List.copyOf(groups);
    this.environmentJson = environmentJson;
    this.environment = Environments.record(environmentJson);
    this.template = template;
    this.files = files;
    this.conditions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(conditions));
    this.resources = List.copyOf(resources);
    this.outputs = List.copyOf(outputs);
    this.mappings = mappings;
  }

  @Override
  public String version() {
    return writtenVersion;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<ParameterDefinition> parameters() {
    return parameters;
  }

  @Override
  public List<ParameterGroup> parameterGroups() {
    return groups;
  }

  @Override
  public Environment environment() {
    return environment;
  }

  /** The merged environment as one JSON object, as {@code GET …/environment} answers it. */
  JsonNode environmentJson() {
    return environmentJson.deepCopy();
  }

  @Override
  public JsonNode templateJson() {
    return template.deepCopy();
  }

  @Override
  public Map<String, String> files() {
    return files;
  }

  @Override
  public BoundStack bind(
      Map<String, JsonNode> userParameters, PseudoParameters pseudo, ConstraintChecker checker) {
    return new StackBinder(this, checker, null).bind(userParameters, pseudo, true);
  }

  @Override
  public BoundStack bind(
      Map<String, JsonNode> userParameters,
      PseudoParameters pseudo,
      ConstraintChecker checker,
      JsonNode facade) {
    return new StackBinder(this, checker, facade).bind(userParameters, pseudo, true);
  }
}
