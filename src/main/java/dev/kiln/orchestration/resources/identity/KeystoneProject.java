package dev.kiln.orchestration.resources.identity;

import static dev.kiln.orchestration.resources.identity.KeystoneEntities.changed;
import static dev.kiln.orchestration.resources.identity.KeystoneEntities.deleteIgnoringGone;
import static dev.kiln.orchestration.resources.identity.KeystoneEntities.idToDelete;
import static dev.kiln.orchestration.resources.identity.KeystoneEntities.name;
import static dev.kiln.orchestration.resources.identity.KeystoneEntities.notFound;
import static dev.kiln.orchestration.resources.identity.KeystoneEntities.requireSameDomain;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.identity.Project;
import dev.kiln.identity.ProjectTags;
import dev.kiln.network.SecurityGroup;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code OS::Keystone::Project}: a Keystone project, for admins only (Identity's policy). Name,
 * description, enabled update in place; a project cannot move to another domain (Keystone refuses
 * it); a new parent replaces the project. Deleting it also deletes the {@code default} security
 * group Networking made for it, as Heat does, so nothing of the project is left behind.
 */
public final class KeystoneProject implements ResourceType {
  public static final String TYPE = "OS::Keystone::Project";
  private static final SupportStatus V10 = new SupportStatus("SUPPORTED", "10.0.0", null);
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Keystone project: the unit that owns resources in every other service. It lives in a domain (the"
              + " default domain unless told otherwise).",
          "2015.1",
          Props.properties(
              "name", Props.string("The project's name; Heat's physical name when not given.").updatable(),
              "domain",
              Props.string("The domain (name or id) the project is in.").defaultValue("default").updatable()
                  .custom("keystone.domain"),
              "description", Props.string("The project's description.").defaultValue("").updatable(),
              "enabled", Props.bool("Whether the project is enabled.").defaultValue(true).updatable(),
              "parent",
              Props.string("The parent project (name or id) in the project hierarchy.").since("6.0.0")
                  .custom("keystone.project"),
              "tags",
              Props.list("Tags to label and sort projects by.").since("10.0.0")
                  .defaultValue(JsonNodeFactory.instance.arrayNode()).updatable()),
          Props.attributes(
              "name", new AttributeSchema("The project's name.", "string", V10),
              "parent_id", new AttributeSchema("The parent project's id.", "string", V10),
              "domain_id", new AttributeSchema("The id of the project's domain.", "string", V10),
              "enabled", new AttributeSchema("Whether the project is enabled.", "boolean", V10),
              "is_domain", new AttributeSchema("Whether the project also acts as a domain.", "boolean", V10)));

  private final Cloud cloud;
  private final KeystoneLookups lookups;

  KeystoneProject(Cloud cloud, KeystoneLookups lookups) {
    this.cloud = requireNonNull(cloud, "cloud is null");
    this.lookups = requireNonNull(lookups, "lookups is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    KeystoneAccess.requireAdmin(context.owner(), "create_project");
    List<String> tags = tags(props);
    String id = KeystoneAccess.stableId(context);
    if (lookups.project(id).isEmpty()) {
      cloud.identity().createProject(
          id,
          name(context, props),
          resolve(() -> lookups.domainId(props.path("domain").asText("default"))),
          props.hasNonNull("parent") ? resolve(() -> lookups.projectId(props.get("parent").asText())) : null,
          props.path("description").asText(""),
          props.path("enabled").asBoolean(true));
    }
    context.physicalId(id);
    if (!tags.isEmpty()) {
      cloud.identity().projectTags().replace(id, tags);
    }
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode next = context.properties();
    KeystoneAccess.requireAdmin(context.owner(), "update_project");
    List<String> tags = tags(next);
    Project current =
        lookups.project(context.physicalId()).orElseThrow(() -> notFound("KeystoneProject", context.physicalId()));
    requireSameDomain(resolve(() -> lookups.domainId(next.path("domain").asText("default"))), current.domainId());
    cloud.identity().updateProject(
        current.id(),
        changed(previous, next, "name") ? name(context, next) : null,
        changed(previous, next, "description") ? next.path("description").asText("") : null,
        changed(previous, next, "enabled") ? next.path("enabled").asBoolean(true) : null);
    if (changed(previous, next, "tags")) {
      cloud.identity().projectTags().replace(current.id(), tags);
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = idToDelete(context);
    if (lookups.project(id).isEmpty()) {
      return;
    }
    KeystoneAccess.requireAdmin(context.owner(), "delete_project");
    deleteDefaultSecurityGroups(context.owner(), id);
    deleteIgnoringGone(id, cloud.identity()::deleteProject);
  }

  /** Networking makes a project's {@code default} group on first use; Heat removes it with the project. */
  private void deleteDefaultSecurityGroups(Actor owner, String projectId) {
    Actor everyProject = new Actor(null, owner.userId(), true);
    for (SecurityGroup group : cloud.network().securityGroups().list(everyProject, null)) {
      if (group.projectId().equals(projectId) && group.name().equals(SecurityGroup.DEFAULT_NAME)) {
        try {
          cloud.network().securityGroups().delete(everyProject, group.id());
        } catch (ServiceException e) {
          if (e.kind() != ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
        }
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    KeystoneEntities.requireExists(context, "KeystoneProject", lookups::project);
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    Optional<Project> project = KeystoneEntities.of(resource, lookups::project);
    if (project.isEmpty()) {
      return NullNode.instance;
    }
    Project p = project.get();
    return switch (name) {
      case "show" -> show(p, cloud.identity().projectTags().tags(p.id()));
      case "name" -> TextNode.valueOf(p.name());
      case "parent_id" -> TextNode.valueOf(p.parentId() != null ? p.parentId() : p.domainId());
      case "domain_id" -> TextNode.valueOf(p.domainId());
      case "enabled" -> BooleanNode.valueOf(p.enabled());
      case "is_domain" -> BooleanNode.FALSE;
      default -> NullNode.instance;
    };
  }

  /** Keystone's project body; a top-level project's parent is its domain, as Keystone shows it. */
  private static ObjectNode show(Project p, List<String> tags) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", p.id());
    o.put("name", p.name());
    o.put("domain_id", p.domainId());
    o.put("description", p.description());
    o.put("enabled", p.enabled());
    o.put("parent_id", p.parentId() != null ? p.parentId() : p.domainId());
    o.put("is_domain", false);
    tags.forEach(o.putArray("tags")::add);
    o.putObject("options");
    return o;
  }

  /** The tags asked for, checked as Identity checks a project's tags (80 at most, no commas or slashes). */
  private static List<String> tags(JsonNode props) throws ResourceError {
    List<String> tags = new ArrayList<>();
    props.path("tags").forEach(tag -> tags.add(tag.asText()));
    try {
      ProjectTags.check(tags);
    } catch (ServiceException e) {
      throw new ResourceError("ValidationError", e.getMessage());
    }
    return tags;
  }

  interface Lookup {
    String get() throws KeystoneLookups.NotFound;
  }

  static String resolve(Lookup lookup) throws ResourceError {
    try {
      return lookup.get();
    } catch (KeystoneLookups.NotFound e) {
      throw new ResourceError("EntityNotFound", e.getMessage());
    }
  }
}
