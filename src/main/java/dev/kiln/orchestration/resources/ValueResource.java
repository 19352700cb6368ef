package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.orchestration.template.schema.ResourceSchema;

/** {@code OS::Heat::Value}: exposes its {@code value} property as the {@code value} attribute. */
public final class ValueResource implements ResourceType {
  public static final String TYPE = "OS::Heat::Value";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Gives its value property back as its value attribute, so a template can name a computed value once and refer to it.",
          "7.0.0",
          Props.properties(
              "value",
              Props.string("The expression to generate the \"value\" attribute.").required().updatable(),
              "type",
              Props.string("The type of the \"value\" property.")
                  .allowed("string", "number", "comma_delimited_list", "json", "boolean")
                  .updatable()),
          Props.attributes(
              "value",
              Props.attribute(
                  "The value property, after its functions were evaluated, with the declared type.",
                  null)));

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  /**
   * The {@code value} property takes any JSON (Heat's type {@code any}), which the shared schema
   * types cannot say; the type checks {@code type} itself instead.
   */
  @Override
  public boolean checksProperties() {
    return false;
  }

  @Override
  public void create(ResourceContext context) {
    JsonNode props = context.properties();
    if (!props.hasNonNull("value")) {
      throw new IllegalArgumentException("Property value not assigned");
    }
    JsonNode type = props.get("type");
    if (type != null && !type.isNull()) {
      ValueTypes.check(type.asText(), props.get("value"));
    }
    context.physicalId(context.physicalName());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (name.equals("value") && resource.properties() != null) {
      JsonNode value = resource.properties().get("value");
      return value == null ? NullNode.instance : value;
    }
    return NullNode.instance;
  }
}
