package dev.kiln.orchestration.software;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Domain;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Project;
import dev.kiln.identity.Role;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Heat's stack domain users: each stack gets a project of its own in the {@code heat} domain, and
 * each resource that a server talks back to (a server polling its metadata, a deployment
 * signalling) a user in that project holding only the {@code heat_stack_user} role. Such a user's
 * token sees none of the owner's project, and the Orchestration API lets it read metadata and send
 * signals to its own stack only. Ids derive from the stack and resource row, so a step repeated
 * after a crash finds what the first attempt made.
 */
public final class StackUsers {
  public static final String DOMAIN = "heat";
  public static final String ROLE = "heat_stack_user";

  private final Directory directory;

  public StackUsers(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  /** A stack user's credentials, as the in-instance tools need them. */
  public record Credentials(String userId, String password, String projectId) {}

  /** The id of the stack user project of {@code stackId}: fixed, so the API can check it without a lookup. */
  public static String projectIdOf(String stackId) {
    return hex("kiln-stack-user-project:" + stackId);
  }

  /**
   * The user for resource row {@code resourceId} of {@code stackId}, made (with its project and role)
   * if missing. The password comes from the row's seeded randomness, so a repeated create sets the
   * same one.
   */
  public Credentials ensure(String stackId, String resourceId, String userName, RandomGenerator random) {
    String projectId = projectIdOf(stackId);
    String userId = hex("kiln-stack-user:" + resourceId);
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      password.append(Character.forDigit(random.nextInt(36), 36));
    }
    String domainId = domainId();
    if (!exists(() -> directory.project(projectId))) {
      adopt(() -> directory.createProject(projectId, stackId, domainId, null, "Stack user project of " + stackId, true));
    }
    if (!exists(() -> directory.user(userId))) {
      adopt(() -> directory.createUserWithGeneratedPassword(userId, userName, domainId, password.toString(), projectId,
          "Stack user of " + stackId));
    } else {
      directory.updateUser(userId, null, password.toString(), null, null, null, null);
    }
    Target target = new Target(TargetType.PROJECT, projectId);
    String roleId = roleId();
    if (!directory.holds(userId, roleId, target)) {
      adopt(() -> {
        directory.grant(userId, roleId, target);
        return null;
      });
    }
    return new Credentials(userId, password.toString(), projectId);
  }

  /** Removes the resource's user; the stack's project goes with {@link #deleteProject}. */
  public void delete(String resourceId) {
    String userId = hex("kiln-stack-user:" + resourceId);
    try {
      directory.deleteUser(userId);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  private String domainId() {
    var found = directory.domains(ListFilter.none().eq("name", DOMAIN));
    if (!found.isEmpty()) {
      return found.getFirst().id();
    }
    try {
      return directory.createDomain(DOMAIN, "Owns Orchestration's stack users and their projects", true).id();
    } catch (ServiceException e) {
      return directory.domains(ListFilter.none().eq("name", DOMAIN)).stream().map(Domain::id).findFirst().orElseThrow(() -> e);
    }
  }

  private String roleId() {
    var found = directory.roles(ListFilter.none().eq("name", ROLE));
    if (!found.isEmpty()) {
      return found.getFirst().id();
    }
    try {
      return directory.createRole(ROLE, "Held by Orchestration's stack users only").id();
    } catch (ServiceException e) {
      return directory.roles(ListFilter.none().eq("name", ROLE)).stream().map(Role::id).findFirst().orElseThrow(() -> e);
    }
  }

  private static boolean exists(java.util.function.Supplier<?> lookup) {
    try {
      lookup.get();
      return true;
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Runs a create; a concurrent or earlier one that made it first is as good. */
  private static void adopt(java.util.function.Supplier<?> create) {
    try {
      create.get();
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.CONFLICT) {
        throw e;
      }
    }
  }

  static String hex(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
  }

  /** Unused projects are left for the stack's delete; kept simple: a stack's project is removed when empty. */
  public void deleteProject(String stackId) {
    try {
      Project p = directory.project(projectIdOf(stackId));
      directory.deleteProject(p.id());
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND && e.kind() != ServiceException.Kind.CONFLICT) {
        throw e;
      }
    }
  }
}
