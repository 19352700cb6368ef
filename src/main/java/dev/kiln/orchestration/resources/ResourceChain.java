package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Map;

/**
 * {@code OS::Heat::ResourceChain}: one resource of each listed type, named 0, 1, 2, … in a nested
 * stack, each depending on the one before unless {@code concurrent}; all get {@code
 * resource_properties}.
 */
public final class ResourceChain implements ResourceType {
  public static final String TYPE = "OS::Heat::ResourceChain";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Makes a list of resources of the given types, in order (or all at once when concurrent), each with the same properties, as a nested stack.",
          "6.0.0",
          Props.properties(
              "resources",
              Props.list("The type of each resource of the chain, in order; template files and registry aliases work too.")
                  .item(Props.string(null))
                  .required()
                  .updatable(),
              "concurrent",
              Props.bool("Make every resource at once instead of each after the one before it.")
                  .defaultValue(false),
              "resource_properties",
              Props.map("Properties given to every resource of the chain.")
                  .defaultValue(JSON.objectNode())
                  .updatable()),
          Props.attributes(
              "refs", Props.attribute("The physical ids of the chain's resources, in order.", "list"),
              "attributes", Props.attribute("For each member, the value of the attribute named by the path that follows: get_attr [r, attributes, name].", "map")));

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    boolean concurrent = props.path("concurrent").asBoolean(false);
    ObjectNode template = JSON.objectNode();
    template.put("heat_template_version", "2015-04-30");
    ObjectNode resources = template.putObject("resources");
    int i = 0;
    for (JsonNode type : props.path("resources")) {
      ObjectNode member = resources.putObject(Integer.toString(i));
      member.put("type", type.asText());
      JsonNode properties = props.path("resource_properties");
      if (properties.isObject() && properties.size() > 0) {
        member.set("properties", properties);
      }
      if (!concurrent && i > 0) {
        member.put("depends_on", Integer.toString(i - 1));
      }
      i++;
    }
    context.physicalId(context.nested().create(context.nestedSource(template), Map.of(), null));
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    context.nested().delete(context.physicalId());
  }

  @Override
  public void suspend(ResourceContext context) throws Exception {
    context.nested().suspend(context.physicalId());
  }

  @Override
  public void resume(ResourceContext context) throws Exception {
    context.nested().resume(context.physicalId());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    return GroupAttributes.of(resource, name, nested);
  }
}
