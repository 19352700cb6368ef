package dev.kiln.orchestration.resources.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Role;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code OS::Keystone::Role}: a Keystone role, for admins only. Its name updates in place. Kiln's
 * roles are global (no domain-specific roles), so {@code domain} must be left out.
 */
public final class KeystoneRole implements ResourceType {
  public static final String TYPE = "OS::Keystone::Role";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Keystone role: what a user may do, granted on a project or a domain.",
          "2015.1",
          Props.properties(
              "name", Props.string("The role's name; Heat's physical name when not given.").updatable(),
              "domain",
              Props.string("The domain (name or id) of a domain-specific role.").since("16.0.0")
                  .custom("keystone.domain")),
          Map.of());

  private final Directory directory;
  private final KeystoneLookups lookups;

  KeystoneRole(Directory directory, KeystoneLookups lookups) {
    this.directory = requireNonNull(directory, "directory is null");
    this.lookups = requireNonNull(lookups, "lookups is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    KeystoneAccess.requireAdmin(context.owner(), "create_role");
    if (props.hasNonNull("domain")) {
      throw new ResourceError("NotSupported", "Domain-specific roles are not supported.");
    }
    String id = KeystoneAccess.stableId(context);
    if (lookups.role(id).isEmpty()) {
      directory.createRole(id, name(context, props), "");
    }
    context.physicalId(id);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    KeystoneAccess.requireAdmin(context.owner(), "update_role");
    JsonNode next = context.properties();
    if (!Objects.equals(previous == null ? null : previous.get("name"), next.get("name"))) {
      directory.updateRole(context.physicalId(), name(context, next), null);
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = context.physicalId() != null ? context.physicalId() : KeystoneAccess.stableId(context);
    if (lookups.role(id).isEmpty()) {
      return;
    }
    KeystoneAccess.requireAdmin(context.owner(), "delete_role");
    try {
      directory.deleteRole(id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    if (lookups.role(context.physicalId()).isEmpty()) {
      throw new ResourceError("EntityNotFound", "The KeystoneRole (" + context.physicalId() + ") could not be found.");
    }
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    Optional<Role> role = resource.physicalId() == null ? Optional.empty() : lookups.role(resource.physicalId());
    if (!name.equals("show") || role.isEmpty()) {
      return NullNode.instance;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", role.get().id());
    o.put("name", role.get().name());
    o.putNull("domain_id");
    o.put("description", role.get().description());
    o.putObject("options");
    return o;
  }

  private static String name(ResourceContext context, JsonNode props) {
    return props.hasNonNull("name") && !props.get("name").asText().isEmpty()
        ? props.get("name").asText()
        : context.physicalName();
  }
}
