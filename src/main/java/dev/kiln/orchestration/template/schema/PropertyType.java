package dev.kiln.orchestration.template.schema;

/** Heat's property types, with the names resource type schemas show. */
public enum PropertyType {
  STRING("string"),
  INTEGER("integer"),
  NUMBER("number"),
  BOOLEAN("boolean"),
  MAP("map"),
  LIST("list");

  private final String heatName;

  PropertyType(String heatName) {
    this.heatName = heatName;
  }

  public String heatName() {
    return heatName;
  }
}
