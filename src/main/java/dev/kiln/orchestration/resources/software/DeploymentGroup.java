package dev.kiln.orchestration.resources.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code OS::Heat::SoftwareDeploymentGroup} and {@code OS::Heat::StructuredDeploymentGroup}: a
 * nested stack with one deployment per entry of {@code servers}, named by its key, each with the
 * group's config, input values, actions and transport. A change updates the child stack in place.
 */
final class DeploymentGroup implements ResourceType {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final boolean structured;
  private final ResourceSchema schema;

  DeploymentGroup(boolean structured) {
    this(structured, structured ? DeploymentSchemas.STRUCTURED_GROUP : DeploymentSchemas.GROUP);
  }

  private DeploymentGroup(boolean structured, ResourceSchema schema) {
    this.structured = structured;
    this.schema = schema;
  }

  /**
   * The group under Heat's older, deprecated name ({@code OS::Heat::SoftwareDeployments},
   * {@code OS::Heat::StructuredDeployments}), which Heat's default environment still maps to it.
   */
  static DeploymentGroup deprecatedName(boolean structured) {
    return new DeploymentGroup(structured, DeploymentSchemas.deprecatedGroup(structured));
  }

  @Override
  public ResourceSchema schema() {
    return schema;
  }

  /**
   * A nested stack, as Heat's group is a ResourceGroup: an update updates the child, so a server
   * added to {@code servers} gets a deployment, one taken out loses it, and a new config or new
   * input values update each member's deployment in place (its UPDATE action runs again).
   */
  @Override
  public boolean nestedStack() {
    return true;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    context.physicalId(context.nested().create(context.nestedSource(template(context.properties())), Map.of(), null));
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    context.nested().update(context.physicalId(), context.nestedSource(template(context.properties())), Map.of(), null);
  }

  private ObjectNode template(JsonNode p) {
    ObjectNode template = JSON.objectNode();
    template.put("heat_template_version", "2015-04-30");
    ObjectNode resources = template.putObject("resources");
    for (Iterator<Map.Entry<String, JsonNode>> it = p.path("servers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> server = it.next();
      ObjectNode member = resources.putObject(server.getKey());
      member.put("type", structured ? DeploymentSchemas.STRUCTURED_TYPE : DeploymentSchemas.TYPE);
      ObjectNode props = member.putObject("properties");
      p.fields().forEachRemaining(e -> {
        if (!e.getKey().equals("servers") && !e.getValue().isNull()) {
          props.set(e.getKey(), e.getValue());
        }
      });
      props.set("server", server.getValue());
    }
    return template;
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    if (context.physicalId() != null) {
      context.nested().delete(context.physicalId());
    }
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
    String memberAttribute =
        switch (name) {
          case "deploy_stdouts" -> "deploy_stdout";
          case "deploy_stderrs" -> "deploy_stderr";
          case "deploy_status_codes" -> "deploy_status_code";
          default -> name;
        };
    ObjectNode out = JSON.objectNode();
    if (resource.nestedStackId() == null && resource.physicalId() == null) {
      return out;
    }
    String child = resource.nestedStackId() != null ? resource.nestedStackId() : resource.physicalId();
    for (String key : nested.resources(child).keySet()) {
      out.set(key, nested.attribute(child, key, memberAttribute));
    }
    return out;
  }
}
