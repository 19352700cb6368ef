package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.Map;

/**
 * A resource type's schema as {@code GET /resource_types/{type}} shows it: each property with its
 * {@code type}, {@code description}, {@code default}, nested {@code schema}, {@code required},
 * {@code constraints}, {@code update_allowed} and {@code immutable}; each attribute with its
 * description and type; the type's support status. Hidden properties and attributes are left out,
 * as Heat leaves them out.
 */
final class ResourceTypeViews {
  static final String HIDDEN = "HIDDEN";

  private ResourceTypeViews() {}

  static ObjectNode schema(ResourceSchema type, boolean withDescription) {
    ObjectNode o = Json.object();
    o.put("resource_type", type.type());
    ObjectNode properties = o.putObject("properties");
    type.properties().forEach((name, p) -> {
      if (!hidden(p.supportStatus())) {
        properties.set(name, property(p));
      }
    });
    ObjectNode attributes = o.putObject("attributes");
    type.attributes().forEach((name, a) -> {
      if (!hidden(a.supportStatus())) {
        attributes.set(name, attribute(a));
      }
    });
    o.set("support_status", supportStatus(type.supportStatus()));
    if (withDescription) {
      o.put("description", description(type));
    }
    return o;
  }

  /** Heat's words for a type that documents nothing. */
  static String description(ResourceSchema type) {
    return type.description() == null || type.description().isBlank()
        ? "No description given"
        : type.description();
  }

  static boolean hidden(SupportStatus status) {
    return status != null && HIDDEN.equals(status.status());
  }

  static ObjectNode supportStatus(SupportStatus status) {
    SupportStatus s = status == null ? SupportStatus.SUPPORTED : status;
    ObjectNode o = Json.object();
    o.put("status", s.status());
    o.put("message", s.message());
    o.put("version", s.version());
    o.putNull("previous_status");
    return o;
  }

  /** One property; members of a map or list property are shown the same way, nested. */
  static ObjectNode property(PropertySchema p) {
    ObjectNode o = Json.object();
    o.put("type", p.type().heatName());
    if (p.description() != null) {
      o.put("description", p.description());
    }
    if (p.defaultValue() != null && !p.defaultValue().isNull()) {
      o.set("default", p.defaultValue());
    }
    if (!p.mapSchema().isEmpty()) {
      ObjectNode nested = o.putObject("schema");
      p.mapSchema().forEach((name, member) -> nested.set(name, property(member)));
    } else if (p.listItem() != null) {
      o.putObject("schema").set("*", property(p.listItem()));
    }
    o.put("required", p.required());
    if (!p.constraints().isEmpty()) {
      ArrayNode constraints = o.putArray("constraints");
      p.constraints().forEach(c -> constraints.add(constraint(c)));
    }
    o.put("update_allowed", p.updateAllowed());
    o.put("immutable", p.immutable());
    return o;
  }

  static ObjectNode attribute(AttributeSchema a) {
    ObjectNode o = Json.object();
    if (a.description() != null) {
      o.put("description", a.description());
    }
    if (a.type() != null) {
      o.put("type", a.type());
    }
    return o;
  }

  /** One constraint under Heat's name for it, with its description when it has one. */
  static ObjectNode constraint(Constraint c) {
    ObjectNode o = Json.object();
    switch (c) {
      case Constraint.Length l -> o.set("length", bounds(l.min() == null ? null : (double) l.min(),
          l.max() == null ? null : (double) l.max()));
      case Constraint.Range r -> o.set("range", bounds(r.min(), r.max()));
      case Constraint.Modulo m -> {
        ObjectNode modulo = o.putObject("modulo");
        if (m.step() != null) {
          modulo.put("step", m.step());
        }
        if (m.offset() != null) {
          modulo.put("offset", m.offset());
        }
      }
      case Constraint.AllowedValues a -> {
        ArrayNode values = o.putArray("allowed_values");
        a.values().forEach(values::add);
      }
      case Constraint.AllowedPattern a -> o.put("allowed_pattern", a.pattern());
      case Constraint.Custom custom -> o.put("custom_constraint", custom.name());
    }
    if (c.description() != null) {
      o.put("description", c.description());
    }
    return o;
  }

  private static ObjectNode bounds(Double min, Double max) {
    ObjectNode o = Json.object();
    if (min != null) {
      o.set("min", number(min));
    }
    if (max != null) {
      o.set("max", number(max));
    }
    return o;
  }

  /** Whole numbers as integers ({@code 1}, not {@code 1.0}), as Heat's schemas write them. */
  static JsonNode number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? LongNode.valueOf((long) value)
        : DoubleNode.valueOf(value);
  }

  /** The schema's visible properties, in order. */
  static Map<String, PropertySchema> visibleProperties(ResourceSchema type) {
    Map<String, PropertySchema> out = new java.util.LinkedHashMap<>();
    type.properties().forEach((name, p) -> {
      if (!hidden(p.supportStatus())) {
        out.put(name, p);
      }
    });
    return out;
  }
}
