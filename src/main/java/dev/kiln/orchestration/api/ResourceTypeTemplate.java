package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.PropertyType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Map;

/**
 * {@code GET /resource_types/{type}/template}: a template that wraps one resource of the type, each
 * property a parameter and each attribute an output, in HOT ({@code template_type=hot}) or in
 * Heat's CFN dialect (the default). It is what Heat generates as a starting point for a provider
 * template.
 */
final class ResourceTypeTemplate {
  private static final String SHOW_DESCRIPTION = "Detailed information about resource.";

  private ResourceTypeTemplate() {}

  /** The resource's name in the template: the type's last segment ({@code TestResource}). */
  static String resourceName(String type) {
    int at = type.lastIndexOf("::");
    return at < 0 ? type : type.substring(at + 2);
  }

  static ObjectNode hot(ResourceSchema type) {
    String name = resourceName(type.type());
    Map<String, PropertySchema> properties = ResourceTypeViews.visibleProperties(type);
    ObjectNode t = Json.object();
    t.put("heat_template_version", "2016-10-14");
    t.put("description", "Initial template of " + name);
    ObjectNode parameters = t.putObject("parameters");
    ObjectNode resourceProperties = Json.object();
    properties.forEach((prop, schema) -> {
      parameters.set(prop, hotParameter(schema));
      resourceProperties.putObject(prop).put("get_param", prop);
    });
    ObjectNode resource = t.putObject("resources").putObject(name);
    resource.put("type", type.type());
    resource.set("properties", resourceProperties);
    ObjectNode outputs = t.putObject("outputs");
    attributes(type).forEach((attr, schema) -> {
      ObjectNode output = outputs.putObject(attr);
      output.putObject("value").putArray("get_attr").add(name).add(attr);
      output.put("description", schema.description());
    });
    outputs.putObject("OS::stack_id").putObject("value").put("get_resource", name);
    return t;
  }

  static ObjectNode cfn(ResourceSchema type) {
    String name = resourceName(type.type());
    Map<String, PropertySchema> properties = ResourceTypeViews.visibleProperties(type);
    ObjectNode t = Json.object();
    t.put("HeatTemplateFormatVersion", "2012-12-12");
    t.put("Description", "Initial template of " + name);
    ObjectNode parameters = t.putObject("Parameters");
    ObjectNode resourceProperties = Json.object();
    properties.forEach((prop, schema) -> {
      parameters.set(prop, cfnParameter(schema));
      if (schema.type() == PropertyType.LIST) {
        ArrayNode split = resourceProperties.putObject(prop).putArray("Fn::Split");
        split.add(",");
        split.addObject().put("Ref", prop);
      } else {
        resourceProperties.putObject(prop).put("Ref", prop);
      }
    });
    ObjectNode resource = t.putObject("Resources").putObject(name);
    resource.put("Type", type.type());
    resource.set("Properties", resourceProperties);
    ObjectNode outputs = t.putObject("Outputs");
    attributes(type).forEach((attr, schema) -> {
      ObjectNode output = outputs.putObject(attr);
      output.putObject("Value").putArray("Fn::GetAtt").add(name).add(attr);
      output.put("Description", schema.description());
    });
    outputs.putObject("OS::stack_id").putObject("Value").put("Ref", name);
    return t;
  }

  /** The visible attributes and, as on every Heat resource, {@code show}. */
  private static Map<String, AttributeSchema> attributes(ResourceSchema type) {
    Map<String, AttributeSchema> out = new java.util.LinkedHashMap<>();
    type.attributes().forEach((name, a) -> {
      if (!ResourceTypeViews.hidden(a.supportStatus())) {
        out.put(name, a);
      }
    });
    out.putIfAbsent("show", new AttributeSchema(SHOW_DESCRIPTION, "map", null));
    return out;
  }

  private static ObjectNode hotParameter(PropertySchema p) {
    ObjectNode o = Json.object();
    o.put("type", switch (p.type()) {
      case INTEGER, NUMBER -> "number";
      case STRING -> "string";
      case BOOLEAN -> "boolean";
      case MAP -> "json";
      case LIST -> "comma_delimited_list";
    });
    if (p.description() != null) {
      o.put("description", p.description());
    }
    if (p.defaultValue() != null && !p.defaultValue().isNull()) {
      o.set("default", p.defaultValue());
    }
    ArrayNode constraints = Json.array();
    for (Constraint c : p.constraints()) {
      switch (c) {
        case Constraint.Length l -> constraints.addObject().set("length", hotBounds(
            l.min() == null ? null : (double) l.min(), l.max() == null ? null : (double) l.max()));
        case Constraint.Range r -> constraints.addObject().set("range", hotBounds(r.min(), r.max()));
        case Constraint.AllowedValues a -> {
          ArrayNode values = constraints.addObject().putArray("allowed_values");
          a.values().forEach(values::add);
        }
        case Constraint.AllowedPattern a -> constraints.addObject().put("allowed_pattern", a.pattern());
        case Constraint.Modulo m -> { }
        case Constraint.Custom custom -> { }
      }
    }
    if (!constraints.isEmpty()) {
      o.set("constraints", constraints);
    }
    return o;
  }

  private static ObjectNode hotBounds(Double min, Double max) {
    ObjectNode o = Json.object();
    if (min != null) {
      o.set("min", ResourceTypeViews.number(min));
    }
    if (max != null) {
      o.set("max", ResourceTypeViews.number(max));
    }
    return o;
  }

  private static ObjectNode cfnParameter(PropertySchema p) {
    ObjectNode o = Json.object();
    o.put("Type", switch (p.type()) {
      case INTEGER, NUMBER -> "Number";
      case STRING -> "String";
      case BOOLEAN -> "Boolean";
      case MAP -> "Json";
      case LIST -> "CommaDelimitedList";
    });
    if (p.description() != null) {
      o.put("Description", p.description());
    }
    if (p.defaultValue() != null && !p.defaultValue().isNull()) {
      o.set("Default", p.defaultValue());
    }
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
        case Constraint.AllowedValues a -> {
          ArrayNode values = o.putArray("AllowedValues");
          a.values().forEach(values::add);
        }
        case Constraint.AllowedPattern a -> o.put("AllowedPattern", a.pattern());
        case Constraint.Modulo m -> { }
        case Constraint.Custom custom -> { }
      }
    }
    if (p.type() == PropertyType.BOOLEAN) {
      o.putArray("AllowedValues").add("True").add("true").add("False").add("false");
    }
    return o;
  }
}
