package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.compute.servers.store.ServerTagStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nova's server tags (2.26): at most {@value #MAX_TAGS} per server. Changes run under the
 * server's row lock, so racing adds never pass the limit, and only while the server is in a state
 * Nova allows them in (a settled server: active, paused, suspended or stopped, no task).
 */
public final class ServerTags {
  public static final int MAX_TAGS = 50;
  private static final Set<String> TAGGABLE_VM_STATES = Set.of("active", "paused", "suspended", "stopped");

  private final Database db;
  private final Clock clock;
  private final Servers servers;

  ServerTags(Database db, Clock clock, Servers servers) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.servers = requireNonNull(servers, "servers is null");
  }

  public List<String> list(Actor actor, String serverId) {
    servers.visible(actor, serverId);
    return new ServerTagStore(db.sql()).of(serverId);
  }

  public boolean has(Actor actor, String serverId, String tag) {
    servers.visible(actor, serverId);
    return new ServerTagStore(db.sql()).has(serverId, tag);
  }

  /** The tags of a page of servers, by server id. */
  public Map<String, List<String>> of(List<String> serverIds) {
    return new ServerTagStore(db.sql()).of(serverIds);
  }

  /** Replaces all the server's tags; answers them. */
  public List<String> replace(Actor actor, String serverId, List<String> tags) {
    Set<String> unique = new LinkedHashSet<>(tags);
    if (unique.size() > MAX_TAGS) {
      throw tooMany();
    }
    change(actor, serverId, "update_all", store -> {
      store.clear(serverId);
      unique.forEach(t -> store.add(serverId, t));
    });
    return new ServerTagStore(db.sql()).of(serverId);
  }

  /** Adds a tag; answers true when it was new. */
  public boolean add(Actor actor, String serverId, String tag) {
    boolean[] added = new boolean[1];
    change(actor, serverId, "update", store -> {
      if (!store.has(serverId, tag) && store.count(serverId) >= MAX_TAGS) {
        throw tooMany();
      }
      added[0] = store.add(serverId, tag);
    });
    return added[0];
  }

  public void remove(Actor actor, String serverId, String tag) {
    change(actor, serverId, "delete", store -> {
      if (!store.remove(serverId, tag)) {
        throw ServiceException.notFound("TagNotFound", "Tag " + tag + " could not be found for instance " + serverId + ".");
      }
    });
  }

  public void clear(Actor actor, String serverId) {
    change(actor, serverId, "delete_all", store -> store.clear(serverId));
  }

  private void change(Actor actor, String serverId, String action, java.util.function.Consumer<ServerTagStore> work) {
    servers.visible(actor, serverId);
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          store.lockForBinding(serverId).orElseThrow(() -> Servers.notFound(serverId));
          Server server = store.findRow(serverId).orElseThrow(() -> Servers.notFound(serverId));
          if (!TAGGABLE_VM_STATES.contains(server.vmState()) || server.taskState() != null) {
            throw ServiceException.conflict(
                "InstanceInvalidState",
                "Cannot '" + action + "' instance " + serverId + " while it is in vm_state " + server.vmState()
                    + (server.taskState() == null ? "" : " and task_state " + server.taskState()));
          }
          work.accept(new ServerTagStore(sql));
          store.touch(serverId, clock.instant().truncatedTo(ChronoUnit.MICROS));
          return null;
        });
  }

  private static ServiceException tooMany() {
    return ServiceException.invalid("TooManyTags", "The number of tags exceeded the per-server limit " + MAX_TAGS);
  }
}
