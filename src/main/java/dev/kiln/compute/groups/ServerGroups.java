package dev.kiln.compute.groups;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.groups.store.ServerGroupStore;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Nova's server groups: create, show, list and delete, and joining a group when a server is
 * booted with the {@code group} scheduler hint. Where members go is the {@link Scheduler}'s
 * business; a group only records who is in it.
 */
public final class ServerGroups {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final ComputeQuotas quotas;

  public ServerGroups(Database db, Clock clock, IdGenerator ids, ComputeQuotas quotas) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  /**
   * Creates a group in the actor's project.
   *
   * @param maxServerPerHost the anti-affinity rule, or null
   */
  public ServerGroup create(Actor actor, String name, ServerGroup.Policy policy, Integer maxServerPerHost) {
    if (actor.projectId() == null) {
      throw ServiceException.invalid("badRequest", "A project-scoped token is needed to create a server group.");
    }
    if (maxServerPerHost != null && policy != ServerGroup.Policy.ANTI_AFFINITY) {
      throw ServiceException.invalid(
          "badRequest", "Only anti-affinity policy supports \"max_server_per_host\" rule.");
    }
    ServerGroup group =
        new ServerGroup(ids.uuid(), name, actor.projectId(), actor.userId(), policy, maxServerPerHost, now(), List.of());
    db.inTransaction(
        sql -> {
          quotas.reserveServerGroup(sql, actor.projectId());
          new ServerGroupStore(sql).insert(group);
          return null;
        });
    return group;
  }

  /** The group, if it is the actor's project's or the actor is an admin. */
  public ServerGroup visible(Actor actor, String id) {
    return store().find(id).filter(g -> actor.owns(g.projectId())).orElseThrow(() -> notFound(id));
  }

  /** The actor's project's groups, or every project's for an admin asking for all. */
  public List<ServerGroup> list(Actor actor, boolean allProjects) {
    if (actor.admin() && allProjects) {
      return store().list(null);
    }
    return actor.projectId() == null ? List.of() : store().list(actor.projectId());
  }

  /** Deletes a group; its members stay, outside any group. */
  public void delete(Actor actor, String id) {
    visible(actor, id);
    if (store().delete(id) == 0) {
      throw notFound(id);
    }
  }

  /**
   * Puts a new server in the group, inside the transaction that creates the server: the group's
   * row is locked so that concurrent boots count each other against the members quota.
   *
   * @throws ServiceException 400 when the group is not the actor's, 403 when it is full
   */
  public void join(Sql sql, Actor actor, String groupId, String serverId, Instant now) {
    ServerGroupStore store = new ServerGroupStore(sql);
    ServerGroup group =
        (store.lock(groupId) ? store.find(groupId) : Optional.<ServerGroup>empty())
            .filter(g -> actor.owns(g.projectId()))
            .orElseThrow(
                () -> ServiceException.invalid("InstanceGroupNotFound", "Instance group " + groupId + " could not be found."));
    quotas.checkGroupMembers(sql, group.projectId(), group.members().size());
    store.addMember(groupId, serverId, now);
  }

  /** The ids of the groups the server is in: none or one. */
  public Optional<String> groupOf(String serverId) {
    return store().groupOf(serverId);
  }

  private ServerGroupStore store() {
    return new ServerGroupStore(db.sql());
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("InstanceGroupNotFound", "Server group " + id + " could not be found.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
