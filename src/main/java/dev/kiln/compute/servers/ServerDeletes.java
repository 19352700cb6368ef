package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.servers.Server.Fault;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.MigrationStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.compute.servers.store.UsageStore;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server delete: marked {@code deleting} at once, then finished by the durable {@code
 * server.delete} task (destroy on the host, ports, volumes, move claims, the host claim, the row);
 * safe to repeat, and safe against a build or an attach that binds something meanwhile.
 */
final class ServerDeletes {
  private static final Logger LOG = LoggerFactory.getLogger(ServerDeletes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Fleet fleet;
  private final HypervisorDriver driver;
  private final TaskRunner tasks;
  private final ServerVolumes volumes;
  private final ServerBindings bindings;
  private final ServerLifecycle lifecycle;
  private final dev.kiln.image.ImageService image;

  ServerDeletes(
      Database db,
      Clock clock,
      IdGenerator ids,
      Fleet fleet,
      HypervisorDriver driver,
      TaskRunner tasks,
      ServerVolumes volumes,
      ServerBindings bindings,
      ServerLifecycle lifecycle,
      dev.kiln.image.ImageService image) {
    this.image = requireNonNull(image, "image is null");
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.volumes = requireNonNull(volumes, "volumes is null");
    this.bindings = requireNonNull(bindings, "bindings is null");
    this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
  }

  /**
   * Deletes a server, as Nova does, in the background: the server shows task state {@code
   * deleting} until a durable {@code server.delete} task has destroyed it on its host, unplugged
   * the user's ports (they survive), deleted Compute's ports, released the claim and removed the
   * record. A locked server is only deleted by an admin; deleting twice is harmless.
   */
  void delete(Actor actor, Server server) {
    String id = server.id();
    Instant now = now();
    boolean submitted =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql).markDeleting(id, now)) {
                return false; // gone, or a delete is under way
              }
              tasks.submit(sql, Servers.DELETE_TASK, JSON.createObjectNode().put("server_id", id).toString(), now, 5);
              new InstanceActionStore(sql)
                  .insert(id, InstanceAction.currentRequestId(ids), "delete", server.projectId(), actor.userId(), now);
              return true;
            });
    if (submitted) {
      tasks.wake();
    }
  }

  /** The {@code server.delete} task; safe to repeat. */
  String finishDelete(Task task) throws Exception {
    String id = JSON.readTree(task.payload()).path("server_id").asText();
    Set<String> released = new HashSet<>();
    String destroyedOn = null;
    while (true) {
      Server server = new ServerStore(db.sql()).find(id).orElse(null);
      if (server == null) {
        return null;
      }
      if (server.host() != null && !server.host().equals(destroyedOn)) {
        try {
          driver.destroy(new HypervisorDriver.InstanceRef(id, server.host()));
        } catch (HypervisorException e) {
          LOG.info("Server {} failed to delete: {}", id, e.getMessage());
          new ServerStore(db.sql()).setError(id, new Fault(500, e.getMessage(), null, now()), now());
          return null;
        }
        destroyedOn = server.host();
      }
      List<PluggedPort> ports = server.ports().stream().filter(p -> !released.contains(p.portId())).toList();
      bindings.releasePortsOfDeleted(server, ports);
      ports.forEach(p -> released.add(p.portId()));
      // A move that died (or was taken over) after making its destination's attachments left
      // them connected: they go first, or the volume would stay attaching once the server's own
      // attachment is deleted (and a delete-on-termination volume could not be deleted).
      volumes.dropOtherAttachments(server);
      for (BlockDevice d : new BlockDeviceStore(db.sql()).ofServer(id)) {
        if (released.add("device:" + d.id() + ":" + d.attachmentId())) {
          if (d.attachmentId() == null) {
            // No attach can reserve for this server any more (it is marked deleting, and a
            // reservation commits with its record under the server's row only while it is not), so
            // any attachment of the volume to the server is one a killed run left unrecorded
            // before that was so: it goes with the server too.
            volumes.releaseAttachmentsOf(Servers.system(server), d.volumeId(), id, null);
          }
          volumes.release(Servers.system(server), d, d.deleteOnTermination());
        }
      }
      releaseMoveClaims(db, fleet, id, now());
      fleet.release(id);
      deleteShelvedImage(server);
      String host = destroyedOn;
      // Under the server's row, which every binding takes: if nothing was bound since the reads
      // above, the server goes; else the loop gives back what was (a build or an attach that got
      // its binding in just before the delete began).
      boolean gone =
          db.inTransaction(
              sql -> {
                ServerStore store = new ServerStore(sql);
                if (store.lockForBinding(id).isEmpty()) {
                  return true;
                }
                Server again = store.find(id).orElseThrow();
                boolean settled =
                    again.ports().stream().allMatch(p -> released.contains(p.portId()))
                        && new BlockDeviceStore(sql).ofServer(id).stream()
                            .allMatch(d -> released.contains("device:" + d.id() + ":" + d.attachmentId()))
                        && (again.host() == null || again.host().equals(host));
                if (settled) {
                  new UsageStore(sql).recordEnded(again, now());
                  store.delete(id);
                }
                return settled;
              });
      if (gone) {
        fleet.release(id); // a claim a racing build took after the release above
        lifecycle.deleted(id);
        return null;
      }
    }
  }

  /** As Nova deletes a shelved server's image with the server; deleting it twice is harmless. */
  private void deleteShelvedImage(Server server) {
    new dev.kiln.compute.servers.store.ShelveStore(db.sql()).find(server.id())
        .map(dev.kiln.compute.servers.store.ShelveStore.Shelved::imageId)
        .ifPresent(imageId -> {
          try {
            image.images().delete(Servers.system(server), imageId);
          } catch (dev.kiln.common.ServiceException e) {
            // already gone (its owner deleted it, or an earlier attempt did)
          }
        });
  }

  /**
   * After the delete task's last attempt failed unexpectedly: the server is left in ERROR with the
   * reason, as Nova leaves a server whose delete failed, so the user sees it and may delete again.
   */
  void giveUpDelete(Task task, String error) {
    try {
      String id = JSON.readTree(task.payload()).path("server_id").asText();
      new ServerStore(db.sql()).setError(id, new Fault(500, "Delete of instance " + id + " failed: " + error, null, now()), now());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable delete task payload", e);
    }
  }

  /**
   * For a server being deleted: releases the destination claims of its unfinished moves. A move
   * waiting to be verified counts as confirmed (Nova confirms a resize when the server is
   * deleted), others end in error. Called by the delete task; safe to repeat.
   */
  private static void releaseMoveClaims(Database db, Fleet fleet, String serverId, Instant now) {
    MigrationStore store = new MigrationStore(db.sql());
    for (Migration m : store.unfinished(serverId)) {
      fleet.release(m.uuid());
      if (!store.advance(m.uuid(), Migration.FINISHED, Migration.CONFIRMED, now)) {
        store.fail(m.uuid(), now);
      }
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
