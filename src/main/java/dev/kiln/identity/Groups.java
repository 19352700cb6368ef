package dev.kiln.identity;

import static dev.kiln.common.ServiceException.conflict;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.store.GroupStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Keystone's groups: their members and the roles granted to them. A member holds each of its
 * groups' roles as if granted directly, so joining or leaving a group, and a group's grant given or
 * taken, change what the member's tokens carry: the store moves identity's revision on with each
 * such change, and every token's roles are worked out again on its next use.
 */
public final class Groups {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Directory directory;

  public Groups(Database db, Clock clock, IdGenerator ids, Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  private GroupStore store() {
    return new GroupStore(db.sql());
  }

  public Group create(String name, String domainId, String description, String extra) {
    String domain = domainId == null ? Domain.DEFAULT_ID : domainId;
    directory.domain(domain);
    Group group =
        new Group(ids.hex(), name, domain, requireNonNullElse(description, ""), extra, clock.instant());
    try {
      store().insert(group);
    } catch (StoreException e) {
      throw duplicate(e, group);
    }
    return group;
  }

  public Group group(String id) {
    return store().find(id).orElseThrow(() -> notFound("GroupNotFound", "Could not find group: " + id + "."));
  }

  public List<Group> groups(ListFilter filter) {
    return store().list(filter);
  }

  public List<Group> groupsOfUser(String userId) {
    directory.user(userId);
    return store().listOfUser(userId);
  }

  /** Changes a group's name, description or extra attributes; null leaves one as it is. */
  public Group update(String id, String name, String description, String extra) {
    Group old = group(id);
    Group updated =
        new Group(
            id,
            requireNonNullElse(name, old.name()),
            old.domainId(),
            requireNonNullElse(description, old.description()),
            requireNonNullElse(extra, old.extra()),
            old.createdAt());
    try {
      store().update(updated);
    } catch (StoreException e) {
      throw duplicate(e, updated);
    }
    return updated;
  }

  /** Deletes a group with its memberships and grants: its members lose what it gave them. */
  public void delete(String id) {
    if (db.inTransaction(sql -> new GroupStore(sql).delete(id)) == 0) {
      group(id); // gone already: Keystone's 404
    }
  }

  // Members

  public void addMember(String groupId, String userId) {
    group(groupId);
    directory.user(userId);
    store().addMember(groupId, userId);
  }

  public boolean isMember(String groupId, String userId) {
    group(groupId);
    directory.user(userId);
    return store().isMember(groupId, userId);
  }

  public void removeMember(String groupId, String userId) {
    group(groupId);
    directory.user(userId);
    if (db.inTransaction(sql -> new GroupStore(sql).removeMember(groupId, userId)) == 0) {
      throw notMember(groupId, userId);
    }
  }

  public static RuntimeException notMember(String groupId, String userId) {
    return notFound(
        "NotFound", "User " + userId + " is not a member of group " + groupId + ".");
  }

  public List<User> members(String groupId) {
    group(groupId);
    return store().members(groupId);
  }

  // Grants

  public void grant(String groupId, String roleId, Target target) {
    checkGrantParts(groupId, roleId, target);
    db.inTransaction(
        sql -> {
          new GroupStore(sql).grant(new GroupGrant(groupId, roleId, target));
          return null;
        });
  }

  public boolean holds(String groupId, String roleId, Target target) {
    checkGrantParts(groupId, roleId, target);
    return store().rolesOn(groupId, target).stream().anyMatch(r -> r.id().equals(roleId));
  }

  public List<Role> rolesOn(String groupId, Target target) {
    directory.checkTarget(target);
    group(groupId);
    return store().rolesOn(groupId, target);
  }

  /** Takes a role from a group: its members' tokens scoped there lose it from their next use on. */
  public void revoke(String groupId, String roleId, Target target) {
    checkGrantParts(groupId, roleId, target);
    int removed =
        db.inTransaction(sql -> new GroupStore(sql).revoke(new GroupGrant(groupId, roleId, target)));
    if (removed == 0) {
      throw notFound(
          "RoleAssignmentNotFound",
          "Group "
              + groupId
              + " holds no role "
              + roleId
              + " on "
              + target.type().name().toLowerCase(Locale.ROOT)
              + " "
              + target.id()
              + ".");
    }
  }

  public List<GroupGrant> grants(ListFilter filter) {
    return store().listGrants(filter);
  }

  private void checkGrantParts(String groupId, String roleId, Target target) {
    directory.checkTarget(target);
    group(groupId);
    directory.checkRoleFits(directory.role(roleId), target);
  }

  private static RuntimeException duplicate(StoreException e, Group g) {
    if (e.kind() == StoreException.Kind.DUPLICATE) {
      return conflict(
          "Conflict",
          "Conflict occurred attempting to store group - Duplicate entry found with name "
              + g.name()
              + " at domain ID "
              + g.domainId()
              + ".");
    }
    return e;
  }
}
