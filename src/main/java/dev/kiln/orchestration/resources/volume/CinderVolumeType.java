package dev.kiln.orchestration.resources.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.volume.VolumeType;
import dev.kiln.volume.VolumeTypes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code OS::Cinder::VolumeType}: a volume type with extra specs (the {@code metadata} property),
 * made as the stack owner, so only an admin's stack can make one (Block Storage's own policy
 * refuses anyone else with its 403). Everything updates in place; extra specs can change only while
 * no volume uses the type, as Cinder rules.
 */
public final class CinderVolumeType implements ResourceType {
  public static final String TYPE = "OS::Cinder::VolumeType";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A volume type: a name volumes are made with, and extra specs saying what such volumes can do (for"
              + " example multiattach). Block Storage lets only administrators make them.",
          "2015.1",
          Props.properties(
              "name", Props.string("The volume type's name.").required().updatable(),
              "metadata", Props.map("The volume type's extra specs, as key/value pairs.").updatable(),
              "is_public",
              Props.bool("Whether every project may use the volume type.").defaultValue(true).since("5.0.0")
                  .updatable(),
              "description", Props.string("The volume type's description.").updatable().since("5.0.0"),
              "projects",
              Props.list("The projects a private volume type is shared with.")
                  .since("5.0.0")
                  .updatable()
                  .item(Props.string(null).custom("keystone.project"))
                  .defaultValue(JsonNodeFactory.instance.arrayNode())),
          Map.of());

  private final Cloud cloud;

  public CinderVolumeType(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    refuseProjects(props);
    String id = StableIds.uuid(context);
    if (types().find(id).isEmpty()) {
      types().create(
          context.owner(),
          new VolumeTypes.Spec(
              props.path("name").asText(), text(props, "description"), props.path("is_public").asBoolean(true),
              CinderVolume.strings(props.get("metadata"))),
          id);
    }
    context.physicalId(id);
  }

  /** Kiln's Block Storage has no type access lists; Heat refuses projects on a public type anyway. */
  private static void refuseProjects(JsonNode props) throws ResourceError {
    if (props.path("projects").size() == 0) {
      return;
    }
    if (props.path("is_public").asBoolean(true)) {
      throw new ResourceError(
          "StackValidationFailed", "Can not specify property \"projects\" if the volume type is public.");
    }
    throw new ResourceError("NotSupported", "Volume type access lists are not supported.");
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode next = context.properties();
    refuseProjects(next);
    Actor owner = context.owner();
    String id = context.physicalId();
    String name = changed(previous, next, "name") ? next.path("name").asText() : null;
    String description = changed(previous, next, "description") ? Objects.requireNonNullElse(text(next, "description"), "") : null;
    Boolean isPublic = changed(previous, next, "is_public") ? next.path("is_public").asBoolean(true) : null;
    if (name != null || description != null || isPublic != null) {
      types().update(owner, id, new VolumeTypes.Changes(name, description, isPublic));
    }
    if (changed(previous, next, "metadata")) {
      Map<String, String> wanted = CinderVolume.strings(next.get("metadata"));
      for (String key : types().extraSpecs(owner, id).keySet()) {
        if (!wanted.containsKey(key)) {
          types().deleteExtraSpec(owner, id, key);
        }
      }
      if (!wanted.isEmpty()) {
        types().setExtraSpecs(owner, id, wanted);
      }
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = context.physicalId() != null ? context.physicalId() : StableIds.uuid(context);
    if (types().find(id).isEmpty()) {
      return;
    }
    try {
      types().delete(context.owner(), id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    if (types().find(context.physicalId()).isEmpty()) {
      throw new ResourceError("EntityNotFound", "The VolumeType (" + context.physicalId() + ") could not be found.");
    }
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    Optional<VolumeType> type = resource.physicalId() == null ? Optional.empty() : types().find(resource.physicalId());
    if (!name.equals("show") || type.isEmpty()) {
      return NullNode.instance;
    }
    VolumeType t = type.get();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", t.id());
    o.put("name", t.name());
    o.put("description", t.description());
    o.put("is_public", t.isPublic());
    o.put("os-volume-type-access:is_public", t.isPublic());
    ObjectNode specs = o.putObject("extra_specs");
    t.extraSpecs().forEach(specs::put);
    o.putNull("qos_specs_id");
    return o;
  }

  private VolumeTypes types() {
    return cloud.volume().types();
  }

  private static boolean changed(JsonNode previous, JsonNode next, String name) {
    return !Objects.equals(previous == null ? null : previous.get(name), next.get(name));
  }

  private static String text(JsonNode props, String name) {
    JsonNode value = props.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }
}
