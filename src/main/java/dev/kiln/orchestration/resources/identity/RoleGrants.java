package dev.kiln.orchestration.resources.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import dev.kiln.identity.Directory;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code roles} property OS::Keystone::User and OS::Keystone::UserRoleAssignment share (Heat's
 * role assignment mixin): a list of {@code {role, project | domain}} granted to one user. An update
 * grants what the new list adds and revokes what it drops, comparing entries as written, as Heat
 * does; grants are idempotent and a revoke of something already gone is skipped, so a repeated
 * step converges.
 */
final class RoleGrants {
  static final String ROLES = "roles";

  private final Directory directory;
  private final KeystoneLookups lookups;

  RoleGrants(Directory directory, KeystoneLookups lookups) {
    this.directory = requireNonNull(directory, "directory is null");
    this.lookups = requireNonNull(lookups, "lookups is null");
  }

  static Props schema() {
    return Props.list("Roles to grant, each on a project or on a domain.")
        .updatable()
        .item(
            Props.map("A role and the project or domain it is granted on.")
                .key("role", Props.string("The role (name or id).").required().custom("keystone.role"))
                .key("project", Props.string("The project (name or id).").custom("keystone.project"))
                .key("domain", Props.string("The domain (name or id).").custom("keystone.domain")));
  }

  /** One entry as written: a role on a project or on a domain. */
  record Entry(String role, TargetType type, String target) {}

  /** The entries of a {@code roles} value, checked as Heat validates them. */
  static List<Entry> entries(JsonNode roles) throws ResourceError {
    List<Entry> out = new ArrayList<>();
    if (roles == null || !roles.isArray()) {
      return out;
    }
    for (JsonNode r : roles) {
      String role = r.path("role").asText();
      boolean project = r.hasNonNull("project");
      boolean domain = r.hasNonNull("domain");
      if (project && domain) {
        throw new ResourceError(
            "ResourcePropertyConflict", "Cannot define the following properties at the same time: project, domain.");
      }
      if (!project && !domain) {
        throw new ResourceError("StackValidationFailed", "Either project or domain must be specified for role " + role);
      }
      out.add(project
          ? new Entry(role, TargetType.PROJECT, r.get("project").asText())
          : new Entry(role, TargetType.DOMAIN, r.get("domain").asText()));
    }
    return out;
  }

  void grant(String userId, List<Entry> entries) throws Exception {
    for (Entry e : entries) {
      directory.grant(userId, roleId(e), target(e));
    }
  }

  /** Revokes the entries the user still holds. */
  void revoke(String userId, List<Entry> entries) throws Exception {
    for (Entry e : entries) {
      Target target = target(e);
      String role = roleId(e);
      if (directory.holds(userId, role, target)) {
        try {
          directory.revoke(userId, role, target);
        } catch (ServiceException gone) {
          if (gone.kind() != ServiceException.Kind.NOT_FOUND) {
            throw gone;
          }
        }
      }
    }
  }

  /** Grants what {@code next} adds to {@code previous}, then revokes what it drops. */
  void change(String userId, List<Entry> previous, List<Entry> next) throws Exception {
    Set<Entry> added = new LinkedHashSet<>(next);
    added.removeAll(previous);
    Set<Entry> dropped = new LinkedHashSet<>(previous);
    dropped.removeAll(next);
    grant(userId, List.copyOf(added));
    revoke(userId, List.copyOf(dropped));
  }

  private String roleId(Entry e) throws ResourceError {
    try {
      return lookups.roleId(e.role());
    } catch (KeystoneLookups.NotFound nf) {
      throw new ResourceError("EntityNotFound", nf.getMessage());
    }
  }

  private Target target(Entry e) throws ResourceError {
    try {
      return new Target(
          e.type(), e.type() == TargetType.PROJECT ? lookups.projectId(e.target()) : lookups.domainId(e.target()));
    } catch (KeystoneLookups.NotFound nf) {
      throw new ResourceError("EntityNotFound", nf.getMessage());
    }
  }
}
