package dev.kiln.orchestration.resources.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.software.SoftwareConfig;
import dev.kiln.orchestration.software.SoftwareService;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.function.Function;

/**
 * {@code OS::Heat::SoftwareConfig} and {@code OS::Heat::StructuredConfig}: one immutable software
 * config (any change replaces it). Beside Heat's single {@code config}, Kiln takes the action-aware
 * {@code configs} map of the blueprint (one config per lifecycle action, {@code create}, {@code
 * update}, {@code suspend}, {@code resume}, {@code delete} or a custom name); a deployment picks the
 * entry for its current action and falls back to {@code config}.
 */
final class SoftwareConfigResource implements ResourceType {
  static final String TYPE = "OS::Heat::SoftwareConfig";
  static final String STRUCTURED = "OS::Heat::StructuredConfig";

  private final SoftwareService software;
  private final ResourceSchema schema;
  /** What the {@code config} property becomes (CloudConfig and MultipartMime render theirs). */
  private final Function<ResourceContext, JsonNode> render;

  private SoftwareConfigResource(SoftwareService software, ResourceSchema schema, Function<ResourceContext, JsonNode> render) {
    this.software = requireNonNull(software, "software is null");
    this.schema = requireNonNull(schema, "schema is null");
    this.render = requireNonNull(render, "render is null");
  }

  static SoftwareConfigResource plain(SoftwareService software) {
    return new SoftwareConfigResource(
        software, schema(TYPE, Props.string("The configuration to run, for the hook of the group (a script, a manifest)."),
            "A software config: what a deployment runs on a server, through the in-instance hook of its group."),
        c -> c.properties().path("config"));
  }

  static SoftwareConfigResource structured(SoftwareService software) {
    return new SoftwareConfigResource(
        software, schema(STRUCTURED, Props.map("The configuration as a map, for hooks that take structured data."),
            "A software config whose configuration is a map, where get_input marks the values a structured deployment fills in."),
        c -> c.properties().path("config"));
  }

  /** A config type whose config another type renders (CloudConfig, MultipartMime). */
  static SoftwareConfigResource rendered(SoftwareService software, ResourceSchema schema, Function<ResourceContext, JsonNode> render) {
    return new SoftwareConfigResource(software, schema, render);
  }

  private static ResourceSchema schema(String type, Props config, String description) {
    return Schemas.of(
        type,
        description,
        "2014.1",
        Props.properties(
            "group",
            Props.string("The in-instance hook that runs this config (script, ansible, puppet, any name).")
                .defaultValue("Heat::Ungrouped"),
            "config", config,
            "configs",
            Props.map("One config per lifecycle action (create, update, suspend, resume, delete, or a custom name),"
                + " chosen by the deployment's current action; config is the fallback."),
            "options", Props.map("Options for the hook of the group."),
            "inputs",
            Props.list("The inputs the config takes: maps of name, type, description, default, replace_on_change."),
            "outputs",
            Props.list("The outputs the config signals back: maps of name, type, description, error_output.")),
        Props.attributes("config", Props.attribute("The config value of this software config.", "string")));
  }

  @Override
  public ResourceSchema schema() {
    return schema;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode p = context.properties();
    JsonNode config = render.apply(context);
    SoftwareService.ConfigSpec spec =
        new SoftwareService.ConfigSpec(
            DerivedIds.config(context.id(), "SOURCE", null), context.physicalName(), p.path("group").asText("Heat::Ungrouped"),
            config.isMissingNode() ? NullNode.instance : config, p.get("inputs"), p.get("outputs"), p.get("options"));
    try {
      context.physicalId(software.createConfig(context.owner(), spec).id());
    } catch (ServiceException e) {
      throw new ResourceError("StackValidationFailed", e.getMessage());
    }
  }

  @Override
  public void delete(ResourceContext context) {
    String id = context.physicalId() != null ? context.physicalId() : DerivedIds.config(context.id(), "SOURCE", null);
    try {
      software.deleteConfig(context.owner(), id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (!name.equals("config") || resource.physicalId() == null) {
      return NullNode.instance;
    }
    return software.configById(resource.physicalId()).map(SoftwareConfig::config).orElse(NullNode.instance);
  }
}
