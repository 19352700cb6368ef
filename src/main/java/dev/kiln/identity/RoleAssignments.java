package dev.kiln.identity;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.AssignmentEntry.Grant;
import dev.kiln.identity.AssignmentEntry.Query;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keystone's role assignment report ({@code GET /v3/role_assignments}). As stored: grants to users
 * and to groups, OS-INHERIT ones marked. With {@code effective}, what users really hold: group
 * grants become one line per member, inherited grants one line per project reached, each role
 * brings the roles it implies, and domain-specific roles are left out (they are never in a token);
 * filters on role apply after that, as in Keystone.
 */
public final class RoleAssignments {
  private final Directory directory;
  private final Groups groups;
  private final InheritedGrants inherited;
  private final RoleInferences inferences;

  public RoleAssignments(Directory directory, Groups groups, InheritedGrants inherited, RoleInferences inferences) {
    this.directory = requireNonNull(directory, "directory is null");
    this.groups = requireNonNull(groups, "groups is null");
    this.inherited = requireNonNull(inherited, "inherited is null");
    this.inferences = requireNonNull(inferences, "inferences is null");
  }

  public List<AssignmentEntry> list(Query q) {
    return q.effective() ? effective(q) : asStored(q);
  }

  private List<AssignmentEntry> asStored(Query q) {
    List<AssignmentEntry> out = new ArrayList<>();
    if (q.groupId() == null) {
      ListFilter users = scoped(ListFilter.none().eq("user_id", q.userId()).eq("role_id", q.roleId()), q);
      for (RoleAssignment a : directory.assignments(users)) {
        out.add(stored(new Grant(false, a.userId(), a.roleId(), a.target(), false)));
      }
      if (!q.system()) {
        for (InheritedGrant g : inherited.list(false, scoped(InheritedGrants.filter(false, q.userId(), q.roleId(), null), q))) {
          out.add(stored(new Grant(false, g.actorId(), g.roleId(), g.target(), true)));
        }
      }
    }
    if (q.userId() == null) {
      ListFilter groupGrants = scoped(ListFilter.none().eq("group_id", q.groupId()).eq("role_id", q.roleId()), q);
      for (GroupGrant g : groups.grants(groupGrants)) {
        out.add(stored(new Grant(true, g.groupId(), g.roleId(), g.target(), false)));
      }
      if (!q.system()) {
        for (InheritedGrant g : inherited.list(true, scoped(InheritedGrants.filter(true, q.groupId(), q.roleId(), null), q))) {
          out.add(stored(new Grant(true, g.actorId(), g.roleId(), g.target(), true)));
        }
      }
    }
    return out;
  }

  private static AssignmentEntry stored(Grant g) {
    return new AssignmentEntry(g.group(), g.actorId(), g.roleId(), g.target(), g.inherited(), g, null);
  }

  private List<AssignmentEntry> effective(Query q) {
    List<AssignmentEntry> base = new ArrayList<>();
    ListFilter users = scoped(ListFilter.none().eq("user_id", q.userId()), q);
    for (RoleAssignment a : directory.assignments(users)) {
      base.add(stored(new Grant(false, a.userId(), a.roleId(), a.target(), false)));
    }
    for (GroupGrant g : groups.grants(scoped(ListFilter.none(), q))) {
      addMembers(base, q, new Grant(true, g.groupId(), g.roleId(), g.target(), false), g.target());
    }
    if (!q.system() && q.domainId() == null) {
      addInherited(base, q);
    }
    Map<String, List<String>> implies = inferences.all();
    Map<String, Role> roles = new HashMap<>();
    List<AssignmentEntry> out = new ArrayList<>();
    for (AssignmentEntry e : base) {
      out.add(e);
      // Breadth first, so each implied role names the role that implies it directly.
      List<String> seen = new ArrayList<>(List.of(e.roleId()));
      for (int i = 0; i < seen.size(); i++) {
        String prior = seen.get(i);
        for (String implied : implies.getOrDefault(prior, List.of())) {
          if (!seen.contains(implied)) {
            seen.add(implied);
            out.add(new AssignmentEntry(false, e.actorId(), implied, e.target(), false, e.from(), prior));
          }
        }
      }
    }
    return out.stream()
        .filter(e -> q.roleId() == null || q.roleId().equals(e.roleId()))
        .filter(e -> !roles.computeIfAbsent(e.roleId(), directory::role).domainSpecific())
        .toList();
  }

  /** Inherited grants, as lines on each project they reach (only the asked project, if one is). */
  private void addInherited(List<AssignmentEntry> base, Query q) {
    for (boolean group : new boolean[] {false, true}) {
      String actor = group ? null : q.userId();
      if (q.projectId() != null) {
        for (Target source : inherited.sourcesOf(q.projectId())) {
          for (InheritedGrant g : inherited.list(group, InheritedGrants.filter(group, actor, null, source))) {
            reach(base, q, g, new Target(TargetType.PROJECT, q.projectId()));
          }
        }
      } else {
        for (InheritedGrant g : inherited.list(group, InheritedGrants.filter(group, actor, null, null))) {
          for (String project : inherited.projectsReached(g.target())) {
            reach(base, q, g, new Target(TargetType.PROJECT, project));
          }
        }
      }
    }
  }

  private void reach(List<AssignmentEntry> base, Query q, InheritedGrant g, Target project) {
    Grant grant = new Grant(g.group(), g.actorId(), g.roleId(), g.target(), true);
    if (g.group()) {
      addMembers(base, q, grant, project);
    } else {
      base.add(new AssignmentEntry(false, g.actorId(), g.roleId(), project, false, grant, null));
    }
  }

  private void addMembers(List<AssignmentEntry> base, Query q, Grant grant, Target target) {
    for (User member : groups.members(grant.actorId())) {
      if (q.userId() == null || q.userId().equals(member.id())) {
        base.add(new AssignmentEntry(false, member.id(), grant.roleId(), target, false, grant, null));
      }
    }
  }

  private static ListFilter scoped(ListFilter filter, Query q) {
    if (q.system()) {
      filter.eq("target_type", TargetType.SYSTEM);
    } else if (q.projectId() != null) {
      filter.eq("target_type", TargetType.PROJECT).eq("target_id", q.projectId());
    } else if (q.domainId() != null) {
      filter.eq("target_type", TargetType.DOMAIN).eq("target_id", q.domainId());
    }
    return filter;
  }
}
