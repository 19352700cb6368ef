package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code OS::Heat::Stack}: a nested stack from a template given as a string. Heat can make it in
 * another region; Kiln has one region, so the stack is always made here ({@code context} is
 * accepted and {@code region_name} must be Kiln's or absent: another is refused at validation,
 * as Heat refuses a region whose endpoint it cannot find).
 */
public final class StackResourceType implements ResourceType {

  public static final String TYPE = "OS::Heat::Stack";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Resource for managing stacks.",
          "2014.2",
          Props.properties(
              "context",
              Props.map("Context for this stack.")
                  .key("region_name", Props.string("The region to make the stack in; Kiln has one."))
                  .key("credential_secret_id", Props.string("A Barbican secret ID.").since("12.0.0"))
                  .key("ca_cert", Props.string("CA Cert for SSL.").since("12.0.0"))
                  .key("insecure", Props.bool("Skip checking the remote server's certificate.")
                      .defaultValue(false).since("12.0.0")),
              "template",
              Props.string("The nested stack's template.").required().updatable(),
              "timeout",
              Props.integer("How many minutes the nested stack's operations may take.").updatable(),
              "parameters",
              Props.map("Set of parameters passed to this stack.").defaultValue(new com.fasterxml.jackson.databind.node.ObjectNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance)).updatable()),
          Props.attributes(
              "stack_name", Props.attribute("Name of the stack.", "string"),
              "outputs", Props.attribute("The nested stack's outputs by name.", "map")));

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  /**
   * Heat's remote stack first reaches the orchestration endpoint of {@code context.region_name}
   * through the catalog; Kiln's catalog has one region, so any other is refused (400) in Heat's
   * words, with keystoneauth's reason for a region the catalog lacks.
   */
  @Override
  public void validate(dev.kiln.orchestration.template.KnownProperties properties) {
    JsonNode context = properties.value("context");
    if (context != null && context.isObject()) {
      String region = unknownRegion(context);
      if (region != null) {
        throw dev.kiln.common.ServiceException.invalid("StackValidationFailed", unreachable(region));
      }
    }
  }

  private static String unknownRegion(JsonNode context) {
    JsonNode region = context.get("region_name");
    return region == null || !region.isTextual() || region.textValue().equals(dev.kiln.identity.ServiceCatalog.REGION)
        ? null
        : region.textValue();
  }

  private static String unreachable(String region) {
    return "Cannot establish connection to Heat endpoint at region \"" + region + "\" due to \"public endpoint for"
        + " orchestration service in " + region + " region not found\"";
  }

  @Override
  public boolean nestedStack() {
    return true;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    String region = unknownRegion(props.path("context"));
    if (region != null) {
      throw new ResourceError("StackValidationFailed", unreachable(region));
    }
    context.physicalId(context.nested().create(source(props), parameters(props), timeout(props)));
  }

  /** The child stack is updated to the new template and parameters (context changes replace it). */
  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    context.nested().update(context.physicalId(), source(props), parameters(props), timeout(props));
  }

  private static TemplateSource source(JsonNode props) {
    return TemplateSource.ofText(props.path("template").asText());
  }

  private static Map<String, JsonNode> parameters(JsonNode props) {
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    props.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue()));
    return parameters;
  }

  private static Integer timeout(JsonNode props) {
    return props.hasNonNull("timeout") ? props.get("timeout").asInt() : null;
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    context.nested().delete(context.physicalId());
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    context.nested().check(context.physicalId());
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
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    return switch (name) {
      case "outputs" -> nested.outputs(resource.physicalId());
      case "stack_name" -> {
        // The child's name is <parent>-<resource>-<short id> of the child's id.
        yield TextNode.valueOf(resource.stackName() + "-" + resource.name() + "-" + ShortId.of(resource.physicalId()));
      }
      default -> NullNode.instance;
    };
  }
}
