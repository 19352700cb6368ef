package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.orchestration.NestedTemplate;
import dev.kiln.orchestration.template.Environment;
import dev.kiln.orchestration.template.ParameterDefinition;
import dev.kiln.orchestration.template.ParameterGroup;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.schema.Constraint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /validate}, in the CloudFormation-style keys Heat has always used
 * there: {@code Description}, {@code Parameters} (each with {@code Type}, {@code Default}, {@code
 * NoEcho}, {@code AllowedValues}, …), {@code ParameterGroups} when the template has any, and the
 * merged {@code Environment}.
 */
final class ValidateView {
  private ValidateView() {}

  /**
   * @param requestParameters the request's {@code parameters}; with the environment's they are the
   *     user's values Heat reports as each parameter's {@code Value}
   */
  static ObjectNode of(ParsedStack parsed, Map<String, JsonNode> requestParameters) {
    return of(parsed, requestParameters, List.of());
  }

  /**
   * @param nested the nested templates ({@code show_nested}): shown as {@code NestedParameters},
   *     by resource name, each with its {@code Type}, {@code Description}, {@code Parameters} (and
   *     groups) and its own nested ones, as Heat's {@code get_nested_parameters}
   */
  static ObjectNode of(ParsedStack parsed, Map<String, JsonNode> requestParameters, List<NestedTemplate> nested) {
    Environment environment = parsed.environment();
    Map<String, JsonNode> values = new LinkedHashMap<>(environment.parameters());
    values.putAll(requestParameters);
    ObjectNode body = Json.object();
    body.put("Description", parsed.description() == null ? "" : parsed.description());
    parametersAndGroups(body, parsed, values);
    nestedParameters(body, nested);
    ObjectNode env = body.putObject("Environment");
    JsonNode registry = environment.resourceRegistry();
    ObjectNode registryObject =
        registry != null && registry.isObject() ? ((ObjectNode) registry).deepCopy() : Json.object();
    // Heat registers each template-file type (name.yaml, name.template) a template uses in the
    // user's registry as mapping to itself, and shows it so.
    JsonNode template = parsed.templateJson();
    JsonNode resources = template.has("resources") ? template.path("resources") : template.path("Resources");
    for (JsonNode resource : resources) {
      String type = resource.has("type") ? resource.path("type").asText() : resource.path("Type").asText();
      if ((type.endsWith(".yaml") || type.endsWith(".template")) && !registryObject.has(type)) {
        registryObject.put(type, type);
      }
    }
    if (!registryObject.has("resources")) {
      registryObject.putObject("resources");
    }
    env.set("resource_registry", registryObject);
    env.set("parameters", Json.MAPPER.valueToTree(values));
    env.set("parameter_defaults", Json.MAPPER.valueToTree(environment.parameterDefaults()));
    env.set("event_sinks", environment.eventSinks() == null ? Json.array() : environment.eventSinks());
    return body;
  }

  private static void parametersAndGroups(ObjectNode body, ParsedStack parsed, Map<String, JsonNode> values) {
    ObjectNode parameters = body.putObject("Parameters");
    for (ParameterDefinition p : parsed.parameters()) {
      parameters.set(p.name(), parameter(p, values.get(p.name())));
    }
    if (!parsed.parameterGroups().isEmpty()) {
      ArrayNode groups = body.putArray("ParameterGroups");
      for (ParameterGroup g : parsed.parameterGroups()) {
        ObjectNode group = groups.addObject();
        if (g.label() != null) {
          group.put("label", g.label());
        }
        if (g.description() != null) {
          group.put("description", g.description());
        }
        ArrayNode names = group.putArray("parameters");
        g.parameters().forEach(names::add);
      }
    }
  }

  private static void nestedParameters(ObjectNode body, List<NestedTemplate> nested) {
    if (nested.isEmpty()) {
      return;
    }
    ObjectNode byResource = body.putObject("NestedParameters");
    for (NestedTemplate n : nested) {
      ObjectNode one = byResource.putObject(n.resourceName());
      one.put("Type", n.type());
      one.put("Description", n.template().description() == null ? "" : n.template().description());
      parametersAndGroups(one, n.template(), n.values());
      nestedParameters(one, n.nested());
    }
  }

  private static ObjectNode parameter(ParameterDefinition p, JsonNode userValue) {
    ObjectNode o = Json.object();
    o.put("Type", type(p.type()));
    o.put("Description", p.description() == null ? "" : p.description());
    o.put("NoEcho", p.hidden() ? "true" : "false");
    o.put("Label", p.label() == null ? p.name() : p.label());
    if (p.defaultValue() != null) {
      o.set("Default", p.defaultValue());
    }
    if (userValue != null && !userValue.isNull() && !(userValue.isTextual() && userValue.textValue().isEmpty())) {
      o.set("Value", userValue);
    }
    List<String> descriptions = new ArrayList<>();
    for (Constraint c : p.constraints()) {
      switch (c) {
        case Constraint.Length l -> {
          if (l.min() != null) {
            o.put("MinLength", l.min());
          }
          if (l.max() != null) {
            o.put("MaxLength", l.max());
          }
        }
        case Constraint.Range r -> {
          if (r.min() != null) {
            o.set("MinValue", ResourceTypeViews.number(r.min()));
          }
          if (r.max() != null) {
            o.set("MaxValue", ResourceTypeViews.number(r.max()));
          }
        }
        case Constraint.Modulo m -> {
          if (m.step() != null) {
            o.put("Step", m.step());
          }
          if (m.offset() != null) {
            o.put("Offset", m.offset());
          }
        }
        case Constraint.AllowedValues a -> {
          ArrayNode allowed = o.putArray("AllowedValues");
          a.values().forEach(allowed::add);
        }
        case Constraint.AllowedPattern a -> o.put("AllowedPattern", a.pattern());
        case Constraint.Custom c2 -> o.put("CustomConstraint", c2.name());
      }
      if (c.description() != null) {
        descriptions.add(c.description());
      }
    }
    if (!descriptions.isEmpty()) {
      o.put("ConstraintDescription", String.join(" ", descriptions));
    }
    return o;
  }

  /** Heat's validate names types the CloudFormation way whatever the template wrote. */
  static String type(String type) {
    return switch (type.toLowerCase(java.util.Locale.ROOT)) {
      case "string" -> "String";
      case "number" -> "Number";
      case "comma_delimited_list", "commadelimitedlist" -> "CommaDelimitedList";
      case "json" -> "Json";
      case "boolean" -> "Boolean";
      default -> type;
    };
  }
}
