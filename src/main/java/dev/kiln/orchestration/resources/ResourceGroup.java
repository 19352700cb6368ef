package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code OS::Heat::ResourceGroup}: {@code count} identical resources, named 0, 1, 2, … in a
 * nested stack, each from {@code resource_def} with {@code %index%} (or {@code index_var})
 * replaced by its name. Names listed in {@code removal_policies}' {@code resource_list} are never
 * used again, as in Heat.
 */
public final class ResourceGroup implements ResourceType {
  public static final String TYPE = "OS::Heat::ResourceGroup";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Creates one or more identically configured nested resources.",
          "2014.1",
          Props.properties(
              "count",
              Props.integer("The number of resources to create.").defaultValue(1).range(0.0, null).updatable(),
              "index_var",
              Props.string(
                      "A variable that this resource will use to replace with the current index of a given resource"
                          + " in the group. Can be used, for example, to customize the name property of grouped"
                          + " servers in order to differentiate them when listed with nova client.")
                  .defaultValue("%index%")
                  .constraint(new Constraint.Length(3, null, null))
                  .since("2014.2"),
              "resource_def",
              Props.map("Resource definition for the resources in the group. The value of this property is the"
                      + " definition of a resource just as if it had been declared in the template itself.")
                  .required()
                  .updatable()
                  .key("type", Props.string("The type of the resources in the group.").required())
                  .key("properties", Props.map("Property values for the resources in the group."))
                  .key("metadata", Props.map("Supplied metadata for the resources in the group.").since("5.0.0")),
              "removal_policies",
              Props.list("Policies for removal of resources on update.")
                  .item(
                      Props.map("Policy to be processed when doing an update which requires removal of specific"
                              + " resources.")
                          .key("resource_list", Props.list("List of resources to be removed when doing an update"
                              + " which requires removal of specific resources. The resource may be specified"
                              + " several ways: (1) The resource name, as in the nested stack, (2) The resource"
                              + " reference returned from get_resource in a template, as available via the"
                              + " 'refs' attribute. Note this is destructive on update when specified; even if"
                              + " the count is not being reduced, and once a resource name is removed, its name"
                              + " is never reused in subsequent updates.").defaultValue(JSON.arrayNode())))
                  .defaultValue(JSON.arrayNode())
                  .updatable()
                  .since("2015.1"),
              "removal_policies_mode",
              Props.string("How to handle changes to removal_policies on update. The default \"append\" mode"
                      + " appends to the internal list, \"update\" replaces it on update.")
                  .allowed("append", "update")
                  .defaultValue("append")
                  .updatable()
                  .since("10.0.0")),
          Props.attributes(
              "refs", Props.attribute("A list of resource IDs for the resources in the group.", "list"),
              "refs_map", Props.attribute("A map of resource names to IDs for the resources in the group.", "map"),
              "attributes", Props.attribute("A map of resource names to the specified attribute of each individual"
                  + " resource. Requires heat_template_version: 2014-10-16.", "map"),
              "removed_rsrc_list", Props.attribute("A list of removed resource names.", "list")));

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    int count = props.path("count").asInt(1);
    String indexVar = props.path("index_var").asText("%index%");
    JsonNode definition = props.path("resource_def");
    Set<String> removed = new HashSet<>();
    for (JsonNode policy : props.path("removal_policies")) {
      policy.path("resource_list").forEach(r -> removed.add(r.asText()));
    }
    ObjectNode template = JSON.objectNode();
    template.put("heat_template_version", "2015-04-30");
    ObjectNode resources = template.putObject("resources");
    ArrayNode skipped = context.data().putArray("removed");
    removed.stream().sorted().forEach(skipped::add);
    int made = 0;
    for (int i = 0; made < count; i++) {
      String name = Integer.toString(i);
      if (removed.contains(name)) {
        continue;
      }
      ObjectNode member = resources.putObject(name);
      member.put("type", definition.path("type").asText());
      if (definition.hasNonNull("properties")) {
        member.set("properties", replaceIndex(definition.get("properties"), indexVar, name));
      }
      if (definition.hasNonNull("metadata")) {
        member.set("metadata", replaceIndex(definition.get("metadata"), indexVar, name));
      }
      made++;
    }
    context.physicalId(context.nested().create(context.nestedSource(template), Map.of(), null));
  }

  static JsonNode replaceIndex(JsonNode node, String indexVar, String index) {
    if (node.isTextual()) {
      return TextNode.valueOf(node.asText().replace(indexVar, index));
    }
    if (node.isArray()) {
      ArrayNode out = JSON.arrayNode();
      node.forEach(item -> out.add(replaceIndex(item, indexVar, index)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JSON.objectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(), replaceIndex(e.getValue(), indexVar, index)));
      return out;
    }
    return node;
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
