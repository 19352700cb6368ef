package dev.kiln.identity;

import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.store.InheritedGrantStore;
import dev.kiln.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OS-INHERIT: roles granted on a domain or a project for the projects below it. A user holds such
 * a role on each project of the domain, or on each project below the project (not on the target
 * itself), in tokens and effective role assignments; through a group, while a member.
 */
public final class InheritedGrants {
  private final Database db;
  private final Directory directory;
  private final Groups groups;

  public InheritedGrants(Database db, Directory directory, Groups groups) {
    this.db = requireNonNull(db, "db is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.groups = requireNonNull(groups, "groups is null");
  }

  private InheritedGrantStore store() {
    return new InheritedGrantStore(db.sql());
  }

  public void grant(InheritedGrant g) {
    check(g);
    db.inTransaction(
        sql -> {
          new InheritedGrantStore(sql).grant(g);
          return null;
        });
  }

  public boolean holds(InheritedGrant g) {
    check(g);
    return !list(g.group(), filter(g.group(), g.actorId(), g.roleId(), g.target())).isEmpty();
  }

  public void revoke(InheritedGrant g) {
    check(g);
    if (db.inTransaction(sql -> new InheritedGrantStore(sql).revoke(g)) == 0) {
      throw notFound(
          "RoleAssignmentNotFound",
          "Could not find inherited role assignment: " + (g.group() ? "group " : "user ") + g.actorId()
              + " holds no role " + g.roleId() + " inherited to the projects of "
              + g.target().type().name().toLowerCase(Locale.ROOT) + " " + g.target().id() + ".");
    }
  }

  /** The roles an actor has inherited to the projects of a target. */
  public List<Role> rolesOn(boolean group, String actorId, Target target) {
    checkActorAndTarget(group, actorId, target);
    return list(group, filter(group, actorId, null, target)).stream().map(g -> directory.role(g.roleId())).toList();
  }

  /** Grants of users or of groups, by equality filters (actor column, role_id, target_type, target_id). */
  public List<InheritedGrant> list(boolean group, ListFilter filter) {
    return store().list(group, filter);
  }

  /** Where grants inherited to a project come from: its domain and the projects above it. */
  public List<Target> sourcesOf(String projectId) {
    return new IdentityStore(db.sql()).inheritanceSources(projectId);
  }

  /** The ids of the projects a grant on {@code target} reaches: all of a domain's, or all below a project. */
  public List<String> projectsReached(Target target) {
    IdentityStore store = new IdentityStore(db.sql());
    List<String> out = new ArrayList<>();
    if (target.type() == TargetType.DOMAIN) {
      store.listProjects(ListFilter.none().eq("domain_id", target.id())).forEach(p -> out.add(p.id()));
    } else if (target.type() == TargetType.PROJECT) {
      List<String> frontier = List.of(target.id());
      while (!frontier.isEmpty()) {
        List<String> next = new ArrayList<>();
        for (String id : frontier) {
          for (Project child : store.listProjects(ListFilter.none().eq("parent_id", id))) {
            if (!out.contains(child.id())) {
              out.add(child.id());
              next.add(child.id());
            }
          }
        }
        frontier = next;
      }
    }
    return out;
  }

  static ListFilter filter(boolean group, String actorId, String roleId, Target target) {
    ListFilter f = ListFilter.none().eq(group ? "group_id" : "user_id", actorId).eq("role_id", roleId);
    return target == null ? f : f.eq("target_type", target.type()).eq("target_id", target.id());
  }

  private void check(InheritedGrant g) {
    checkActorAndTarget(g.group(), g.actorId(), g.target());
    directory.checkRoleFits(directory.role(g.roleId()), g.target());
  }

  private void checkActorAndTarget(boolean group, String actorId, Target target) {
    if (target.type() == TargetType.SYSTEM) {
      throw invalid("ValidationError", "Roles are inherited to the projects of a domain or a project, not of the system.");
    }
    directory.checkTarget(target);
    if (group) {
      groups.group(actorId);
    } else {
      directory.user(actorId);
    }
  }
}
