package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.PropertyType;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A short way to write Heat's property schemas: {@code Props.string("…").defaultValue("x").updatable()}. */
public final class Props {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final PropertyType type;
  private final String description;
  private boolean required;
  private JsonNode defaultValue;
  private boolean updateAllowed;
  private boolean immutable;
  private final List<Constraint> constraints = new ArrayList<>();
  private final Map<String, PropertySchema> mapSchema = new LinkedHashMap<>();
  private PropertySchema listItem;
  private SupportStatus support = SupportStatus.SUPPORTED;

  private Props(PropertyType type, String description) {
    this.type = type;
    this.description = description;
  }

  public static Props string(String description) {
    return new Props(PropertyType.STRING, description);
  }

  public static Props integer(String description) {
    return new Props(PropertyType.INTEGER, description);
  }

  public static Props number(String description) {
    return new Props(PropertyType.NUMBER, description);
  }

  public static Props bool(String description) {
    return new Props(PropertyType.BOOLEAN, description);
  }

  public static Props map(String description) {
    return new Props(PropertyType.MAP, description);
  }

  public static Props list(String description) {
    return new Props(PropertyType.LIST, description);
  }

  public Props required() {
    required = true;
    return this;
  }

  public Props updatable() {
    updateAllowed = true;
    return this;
  }

  public Props immutable() {
    immutable = true;
    return this;
  }

  public Props defaultValue(String value) {
    defaultValue = JSON.textNode(value);
    return this;
  }

  public Props defaultValue(long value) {
    defaultValue = JSON.numberNode(value);
    return this;
  }

  public Props defaultValue(boolean value) {
    defaultValue = JSON.booleanNode(value);
    return this;
  }

  public Props defaultValue(JsonNode value) {
    defaultValue = value;
    return this;
  }

  public Props constraint(Constraint constraint) {
    constraints.add(constraint);
    return this;
  }

  public Props range(Double min, Double max) {
    return constraint(new Constraint.Range(min, max, null));
  }

  public Props allowed(String... values) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String v : values) {
      nodes.add(JSON.textNode(v));
    }
    return constraint(new Constraint.AllowedValues(nodes, null));
  }

  public Props custom(String name) {
    return constraint(new Constraint.Custom(name, null));
  }

  public Props key(String name, Props schema) {
    mapSchema.put(name, schema.build());
    return this;
  }

  public Props item(Props schema) {
    listItem = schema.build();
    return this;
  }

  public Props support(String status, String version, String message) {
    support = new SupportStatus(status, version, message);
    return this;
  }

  public Props since(String version) {
    return support("SUPPORTED", version, null);
  }

  public PropertySchema build() {
    return new PropertySchema(
        type, description, required, defaultValue, updateAllowed, immutable, constraints, mapSchema, listItem, support);
  }

  /** An attribute of the given Heat type (or null for none). */
  public static AttributeSchema attribute(String description, String type) {
    return new AttributeSchema(description, type, SupportStatus.SUPPORTED);
  }

  /** A schema from an ordered list of name/property pairs. */
  public static Map<String, PropertySchema> properties(Object... namesAndProps) {
    Map<String, PropertySchema> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndProps.length; i += 2) {
      out.put((String) namesAndProps[i], ((Props) namesAndProps[i + 1]).build());
    }
    return out;
  }

  /** Attributes from an ordered list of name/schema pairs. */
  public static Map<String, AttributeSchema> attributes(Object... namesAndSchemas) {
    Map<String, AttributeSchema> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndSchemas.length; i += 2) {
      out.put((String) namesAndSchemas[i], (AttributeSchema) namesAndSchemas[i + 1]);
    }
    return out;
  }
}
