package dev.kiln.orchestration.resources;

import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a type's schema with the {@code show} attribute every Heat resource has. */
public final class Schemas {
  private Schemas() {}

  public static ResourceSchema of(
      String type,
      String description,
      String since,
      Map<String, PropertySchema> properties,
      Map<String, AttributeSchema> attributes) {
    Map<String, AttributeSchema> all = new LinkedHashMap<>(attributes);
    all.put("show", Props.attribute("Detailed information about resource.", "map"));
    return new ResourceSchema(
        type, description, new SupportStatus("SUPPORTED", since, null), properties, all);
  }
}
