package dev.kiln.orchestration.resources.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Map;
import java.util.Optional;

/**
 * {@code OS::Keystone::UserRoleAssignment} (Heat's role assignment type): grants {@code roles} to
 * an existing user, for admins only. A change of the roles grants what is added and revokes what
 * is dropped; a change of user moves the grants: revoked from the old user, granted to the new.
 * Delete revokes what the user still holds; a user already gone is fine.
 */
public final class KeystoneUserRoleAssignment implements ResourceType {
  public static final String TYPE = "OS::Keystone::UserRoleAssignment";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Grants roles, each on a project or a domain, to an existing Keystone user.",
          "5.0.0",
          Props.properties(
              "user", Props.string("The user (name or id).").required().updatable().custom("keystone.user"),
              RoleGrants.ROLES, RoleGrants.schema()),
          Map.of());

  private final KeystoneLookups lookups;
  private final RoleGrants grants;

  KeystoneUserRoleAssignment(KeystoneLookups lookups, RoleGrants grants) {
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
    KeystoneAccess.requireAdmin(context.owner(), "create_grant");
    String user = KeystoneProject.resolve(() -> lookups.userId(props.path("user").asText()));
    grants.grant(user, roles);
    context.physicalId(context.physicalName());
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode next = context.properties();
    var roles = RoleGrants.entries(next.get(RoleGrants.ROLES));
    KeystoneAccess.requireAdmin(context.owner(), "create_grant");
    var before = RoleGrants.entries(previous == null ? null : previous.get(RoleGrants.ROLES));
    Optional<String> oldUser = userId(previous);
    String newUser = KeystoneProject.resolve(() -> lookups.userId(next.path("user").asText()));
    if (oldUser.isPresent() && !oldUser.get().equals(newUser)) {
      grants.revoke(oldUser.get(), before);
      grants.grant(newUser, roles);
    } else {
      grants.change(newUser, before, roles);
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    Optional<String> user = userId(props);
    if (user.isEmpty()) {
      return;
    }
    var roles = RoleGrants.entries(props.get(RoleGrants.ROLES));
    KeystoneAccess.requireAdmin(context.owner(), "revoke_grant");
    grants.revoke(user.get(), roles);
  }

  /** The user the properties name, if it (still) exists. */
  private Optional<String> userId(JsonNode props) {
    if (props == null || !props.hasNonNull("user")) {
      return Optional.empty();
    }
    try {
      return Optional.of(lookups.userId(props.get("user").asText()));
    } catch (KeystoneLookups.NotFound gone) {
      return Optional.empty();
    }
  }
}
