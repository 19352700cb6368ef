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
import dev.kiln.identity.Directory;
import dev.kiln.identity.User;
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
 * {@code OS::Keystone::User}: a Keystone user with its role grants ({@code roles}), for admins
 * only. Everything updates in place except that a user cannot move to another domain (Keystone
 * refuses it). {@code groups} (names or ids) are joined on create and on update, where the groups
 * dropped from the list are left; memberships made outside the stack stay as they are.
 */
public final class KeystoneUser implements ResourceType {
  public static final String TYPE = "OS::Keystone::User";
  private static final SupportStatus V9 = new SupportStatus("SUPPORTED", "9.0.0", null);
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Keystone user: one API consumer, in a domain (the default domain unless told otherwise), with the"
              + " roles it is granted.",
          "2015.1",
          Props.properties(
              "name", Props.string("The user's name; Heat's physical name when not given.").updatable(),
              "domain",
              Props.string("The domain (name or id) the user is in.").defaultValue("default").updatable()
                  .custom("keystone.domain"),
              "description", Props.string("The user's description.").defaultValue("").updatable(),
              "enabled", Props.bool("Whether the user is enabled.").defaultValue(true).updatable(),
              "email", Props.string("The user's email address.").updatable(),
              "password", Props.string("The user's password.").updatable(),
              "default_project",
              Props.string("The user's default project (name or id).").updatable().custom("keystone.project"),
              "groups",
              Props.list("The groups the user belongs to.").updatable()
                  .item(Props.string("A group (name or id).").custom("keystone.group")),
              RoleGrants.ROLES, RoleGrants.schema()),
          Props.attributes(
              "name", new AttributeSchema("The user's name.", "string", V9),
              "default_project_id", new AttributeSchema("The id of the user's default project.", "string", V9),
              "domain_id", new AttributeSchema("The id of the user's domain.", "string", V9),
              "enabled", new AttributeSchema("Whether the user is enabled.", "boolean", V9),
              "password_expires_at", new AttributeSchema("When the user's password expires.", "string", V9)));

  private final Directory directory;
  private final KeystoneLookups lookups;
  private final RoleGrants grants;

  KeystoneUser(Directory directory, KeystoneLookups lookups, RoleGrants grants) {
    this.directory = requireNonNull(directory, "directory is null");
    this.lookups = requireNonNull(lookups, "lookups is null");
    this.grants = requireNonNull(grants, "grants is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    var roles = RoleGrants.entries(props.get(RoleGrants.ROLES));
    KeystoneAccess.requireAdmin(context.owner(), "create_user");
    List<String> groups = groupIds(props);
    String id = KeystoneAccess.stableId(context);
    if (lookups.user(id).isEmpty()) {
      directory.createUser(
          id,
          name(context, props),
          KeystoneProject.resolve(() -> lookups.domainId(props.path("domain").asText("default"))),
          text(props, "password"),
          props.hasNonNull("default_project")
              ? KeystoneProject.resolve(() -> lookups.projectId(props.get("default_project").asText()))
              : null,
          text(props, "email"),
          props.path("description").asText(""),
          props.path("enabled").asBoolean(true));
    }
    context.physicalId(id);
    grants.grant(id, roles);
    for (String group : groups) {
      if (!directory.groups().isMember(group, id)) {
        directory.groups().addMember(group, id);
      }
    }
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode next = context.properties();
    var roles = RoleGrants.entries(next.get(RoleGrants.ROLES));
    KeystoneAccess.requireAdmin(context.owner(), "update_user");
    List<String> groups = groupIds(next);
    String id = context.physicalId();
    User current = lookups.user(id).orElseThrow(() -> notFound("KeystoneUser", id));
    requireSameDomain(
        KeystoneProject.resolve(() -> lookups.domainId(next.path("domain").asText("default"))), current.domainId());
    directory.updateUser(
        id,
        changed(previous, next, "name") ? name(context, next) : null,
        changed(previous, next, "password") ? text(next, "password") : null,
        changed(previous, next, "default_project") && next.hasNonNull("default_project")
            ? KeystoneProject.resolve(() -> lookups.projectId(next.get("default_project").asText()))
            : null,
        changed(previous, next, "email") ? text(next, "email") : null,
        changed(previous, next, "description") ? next.path("description").asText("") : null,
        changed(previous, next, "enabled") ? next.path("enabled").asBoolean(true) : null);
    grants.change(id, RoleGrants.entries(previous == null ? null : previous.get(RoleGrants.ROLES)), roles);
    if (previous != null && changed(previous, next, "groups")) {
      changeGroups(id, groupIdsOrGone(previous), groups);
    }
  }

  /**
   * Leaves the groups the user was put in and is no longer asked to be in, and joins the new
   * ones; memberships made outside the stack are left alone, as Heat does.
   */
  private void changeGroups(String userId, List<String> before, List<String> after) {
    for (String group : before) {
      if (!after.contains(group) && directory.groups().isMember(group, userId)) {
        directory.groups().removeMember(group, userId);
      }
    }
    for (String group : after) {
      if (!directory.groups().isMember(group, userId)) {
        directory.groups().addMember(group, userId);
      }
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = idToDelete(context);
    if (lookups.user(id).isEmpty()) {
      return;
    }
    KeystoneAccess.requireAdmin(context.owner(), "delete_user");
    deleteIgnoringGone(id, directory::deleteUser); // Identity drops the user's grants with it
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    KeystoneEntities.requireExists(context, "KeystoneUser", lookups::user);
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    Optional<User> user = KeystoneEntities.of(resource, lookups::user);
    if (user.isEmpty()) {
      return NullNode.instance;
    }
    User u = user.get();
    return switch (name) {
      case "show" -> show(u);
      case "name" -> TextNode.valueOf(u.name());
      case "default_project_id" -> u.defaultProjectId() == null ? NullNode.instance : TextNode.valueOf(u.defaultProjectId());
      case "domain_id" -> TextNode.valueOf(u.domainId());
      case "enabled" -> BooleanNode.valueOf(u.enabled());
      default -> NullNode.instance; // password_expires_at: Kiln's passwords do not expire
    };
  }

  /** Keystone's user body, without the password. */
  private static ObjectNode show(User u) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", u.id());
    o.put("name", u.name());
    o.put("domain_id", u.domainId());
    if (u.defaultProjectId() != null) {
      o.put("default_project_id", u.defaultProjectId());
    }
    if (u.email() != null) {
      o.put("email", u.email());
    }
    o.put("description", u.description());
    o.put("enabled", u.enabled());
    o.putNull("password_expires_at");
    o.putObject("options");
    return o;
  }

  /** The ids of the groups asked for, each a name or an id; an unknown one fails the resource. */
  private List<String> groupIds(JsonNode props) throws ResourceError {
    List<String> ids = new ArrayList<>();
    for (JsonNode group : props.path("groups")) {
      ids.add(KeystoneProject.resolve(() -> lookups.groupId(group.asText())));
    }
    return ids;
  }

  /** The groups an earlier version asked for that still exist (a group deleted since is no one's). */
  private List<String> groupIdsOrGone(JsonNode props) {
    List<String> ids = new ArrayList<>();
    for (JsonNode group : props.path("groups")) {
      try {
        ids.add(lookups.groupId(group.asText()));
      } catch (KeystoneLookups.NotFound gone) {
        // nothing to leave
      }
    }
    return ids;
  }

  private static String text(JsonNode props, String name) {
    JsonNode value = props.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }
}
