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
          "Creates one or more resources with the same configuration. The types of resources to be created are"
              + " passed into the chain through the resources property.",
          "6.0.0",
          Props.properties(
              "resources",
              Props.list("The list of resource types to create. This list may contain type names or aliases"
                      + " defined in the resource registry. Specific template names are not supported.")
                  .item(Props.string(null))
                  .required()
                  .updatable(),
              "concurrent",
              Props.bool("If true, the resources in the chain will be created concurrently. If false or omitted,"
                      + " each resource will be treated as having a dependency on the previous resource in the"
                      + " list.")
                  .defaultValue(false),
              "resource_properties",
              Props.map("Properties to pass to each resource being created in the chain.")
                  .defaultValue(JSON.objectNode())
                  .updatable()),
          Props.attributes(
              "refs", Props.attribute("A list of resource IDs for the resources in the chain.", "list"),
              "attributes", Props.attribute("A map of resource names to the specified attribute of each individual"
                  + " resource.", "map")));

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
