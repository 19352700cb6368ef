package dev.kiln.compute.moves;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Migration;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.MigrationStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Nova's resize, cold migration ({@code migrate}), and the confirmResize/revertResize that end
 * them, with Nova's migration records ({@code os-migrations}).
 *
 * <p>A move is checked as Nova's {@code nova/compute/api.py} checks it (lock, vm state active or
 * stopped with no task, flavor rules), then one transaction sets task state {@code resize_prep}
 * (status RESIZE) on the (vm_state, task_state) that was checked, records the migration ({@code
 * pre-migrating}) and the instance action, and submits a durable {@code server.move} task ({@link
 * MoveTask}), so of two racing requests one wins and the other gets Nova's 409. The request is
 * answered 202 at once; as in Nova, scheduling happens afterwards, so a move no host can take
 * (NoValidHost) leaves the server as it was, with the migration and the action's event in error.
 *
 * <p>Confirming and reverting are checked the same way (vm state resized, a finished migration)
 * and move the migration to {@code confirming} or {@code reverting} and the server to task state
 * {@code resize_confirming} or {@code resize_reverting} in one transaction. The old flavor and vm
 * state are kept in the migration record, so a revert restores them exactly.
 *
 * <p>Placement: Kiln behaves like DevStack's {@code allow_resize_to_same_host=True}, but prefers
 * other hosts: a resize lands on the current host only when no other host in the server's zone
 * fits. A cold migration never stays on the current host.
 */
public final class ServerMoves {
  static final String MOVE_TASK = "server.move";
  public static final String RESIZE = "RESIZE";
  public static final String VERIFY_RESIZE = "VERIFY_RESIZE";
  public static final String REVERT_RESIZE = "REVERT_RESIZE";
  private static final ObjectMapper JSON = new ObjectMapper();

  // Nova's task states of a move
  static final String RESIZE_PREP = "resize_prep";
  static final String RESIZE_MIGRATING = "resize_migrating";
  static final String RESIZE_MIGRATED = "resize_migrated";
  static final String RESIZE_FINISH = "resize_finish";
  static final String RESIZE_CONFIRMING = "resize_confirming";
  static final String RESIZE_REVERTING = "resize_reverting";
  static final Set<String> MOVE_TASK_STATES = Set.of(RESIZE_PREP, RESIZE_MIGRATING, RESIZE_MIGRATED, RESIZE_FINISH);
  private static final List<String> MOVABLE_VM_STATES = List.of("active", "stopped");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Fleet fleet;
  private final Flavors flavors;
  private final ComputeQuotas quotas;
  private final Servers servers;
  private final TaskRunner tasks;
  private final MoveTask task;

  public ServerMoves(
      Database db,
      Clock clock,
      IdGenerator ids,
      Fleet fleet,
      HypervisorDriver driver,
      Flavors flavors,
      ComputeQuotas quotas,
      Servers servers,
      NetworkService network,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.flavors = requireNonNull(flavors, "flavors is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.task = new MoveTask(db, clock, fleet, driver, network, servers.volumes());
    tasks.register(MOVE_TASK, task);
  }

  // Starting a move

  /** Resizes the server to the flavor {@code flavorRef}; it ends in VERIFY_RESIZE. */
  public Migration resize(Actor actor, String id, String flavorRef) {
    for (int attempt = 0; ; attempt++) {
      Server server = servers.visible(actor, id);
      checkMovable(actor, server, "resize");
      Flavor flavor =
          flavors.find(actor, flavorRef).filter(f -> !f.disabled())
              .orElseThrow(() -> ServiceException.invalid("FlavorNotFound", "Unable to locate requested flavor."));
      if (flavor.id().equals(server.flavor().id())) {
        throw ServiceException.invalid("CannotResizeToSameFlavor", "When resizing, instances must change flavor!");
      }
      if (flavor.diskGb() == 0 && server.flavor().diskGb() > 0) {
        throw ServiceException.invalid(
            "CannotResizeDisk",
            "Server disk was unable to be resized because: Resize to zero disk flavor is not allowed.");
      }
      if (flavor.diskGb() < server.flavor().diskGb()) {
        // Nova's libvirt driver refuses this once the resize has started; Kiln refuses it at once.
        throw ServiceException.invalid("ResizeError", "Resize error: Unable to resize disk down.");
      }
      Optional<Migration> started =
          begin(actor, server, Migration.RESIZE, FlavorSnapshot.of(flavor), flavor.seq(), null, "resize");
      if (started.isPresent()) {
        return started.get();
      }
      if (attempt >= 3) {
        throw ServerChecks.invalidState("resize", id, "task_state", servers.get(id).taskState());
      }
    }
  }

  /**
   * Cold-migrates the server (admins only) to another host, or to {@code host} (microversion
   * 2.56); it ends in VERIFY_RESIZE.
   */
  public Migration migrate(Actor actor, String id, String host) {
    if (!actor.admin()) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized", "Policy doesn't allow os_compute_api:os-migrate-server:migrate to be performed.");
    }
    for (int attempt = 0; ; attempt++) {
      Server server = servers.visible(actor, id);
      checkMovable(actor, server, "migrate");
      if (host != null) {
        if (host.equals(server.host())) {
          throw ServiceException.invalid("CannotMigrateToSameHost", "Cannot migrate to the host where the server exists.");
        }
        if (!fleet.isKnown(host)) {
          throw ServiceException.invalid("ComputeHostNotFound", "Compute host " + host + " could not be found.");
        }
      }
      Integer seq = flavorSeq(server);
      Optional<Migration> started = begin(actor, server, Migration.MIGRATION, server.flavor(), seq, host, "migrate");
      if (started.isPresent()) {
        return started.get();
      }
      if (attempt >= 3) {
        throw ServerChecks.invalidState("migrate", id, "task_state", servers.get(id).taskState());
      }
    }
  }

  private void checkMovable(Actor actor, Server server, String action) {
    ServerChecks.requireReady(actor, server, action, MOVABLE_VM_STATES);
    ServerChecks.requireVolumesSettled(servers, server, action);
  }

  /** Records the migration and starts the move if the server is still as checked; empty if not. */
  private Optional<Migration> begin(
      Actor actor, Server server, String type, FlavorSnapshot newFlavor, Integer newSeq, String requestedHost,
      String actionName) {
    Instant now = now();
    String requestId = InstanceAction.currentRequestId(ids);
    Migration migration =
        new Migration(
            0, ids.uuid(), server.id(), server.projectId(), server.userId(), type, Migration.PRE_MIGRATING,
            server.host(), null, requestedHost, server.flavor(), newFlavor, flavorSeq(server), newSeq,
            server.vmState(), requestId, now, now);
    String payload =
        JSON.createObjectNode()
            .put("op", "move")
            .put("migration", migration.uuid())
            .put("previous_status", server.status())
            .put("previous_power_state", server.powerState())
            .toString();
    boolean begun =
        db.inTransaction(
            sql -> {
              if (type.equals(Migration.RESIZE)) {
                quotas.reserveResize(
                    sql, server.projectId(), newFlavor.vcpus() - server.flavor().vcpus(),
                    newFlavor.ramMb() - server.flavor().ramMb());
              }
              if (!new ServerStore(sql).beginAction(server.id(), server.vmState(), null, RESIZE_PREP, RESIZE, now)) {
                return false;
              }
              new MigrationStore(sql).insert(migration);
              tasks.submit(sql, MOVE_TASK, payload, now, 3);
              new InstanceActionStore(sql)
                  .insert(server.id(), requestId, actionName, server.projectId(), actor.userId(), now);
              return true;
            });
    if (!begun) {
      return Optional.empty();
    }
    tasks.wake();
    return new MigrationStore(db.sql()).find(migration.uuid());
  }

  // Confirming and reverting

  /** Confirms a resized server: the source is given up. */
  public void confirm(Actor actor, String id) {
    finishMove(actor, id, "confirmResize", Migration.CONFIRMING, RESIZE_CONFIRMING, VERIFY_RESIZE);
  }

  /** Reverts a resized server: it goes back to its source host and old flavor. */
  public void revert(Actor actor, String id) {
    finishMove(actor, id, "revertResize", Migration.REVERTING, RESIZE_REVERTING, REVERT_RESIZE);
  }

  private void finishMove(
      Actor actor, String id, String action, String migrationStatus, String taskState, String status) {
    for (int attempt = 0; ; attempt++) {
      Server server = servers.visible(actor, id);
      ServerChecks.requireUnlocked(actor, server);
      if (!"resized".equals(server.vmState())) {
        throw ServerChecks.invalidState(action, id, "vm_state", server.vmState());
      }
      if (server.taskState() != null) {
        throw ServerChecks.invalidState(action, id, "task_state", server.taskState());
      }
      Migration migration =
          new MigrationStore(db.sql()).findByStatus(id, Migration.FINISHED)
              .orElseThrow(() -> ServiceException.invalid("MigrationNotFound", "Instance has not been resized."));
      Instant now = now();
      String requestId = InstanceAction.currentRequestId(ids);
      String payload =
          JSON.createObjectNode().put("op", action).put("migration", migration.uuid()).put("request_id", requestId).toString();
      boolean begun;
      try {
        begun =
            db.inTransaction(
                sql -> {
                  if (!new MigrationStore(sql).advance(migration.uuid(), Migration.FINISHED, migrationStatus, now)) {
                    return false;
                  }
                  if (!new ServerStore(sql).beginAction(id, "resized", null, taskState, status, now)) {
                    throw new LostRace(); // rolls the migration's status back
                  }
                  tasks.submit(sql, MOVE_TASK, payload, now, 3);
                  new InstanceActionStore(sql).insert(id, requestId, action, server.projectId(), actor.userId(), now);
                  return true;
                });
      } catch (LostRace e) {
        begun = false;
      }
      if (begun) {
        tasks.wake();
        return;
      }
      if (attempt >= 3) {
        throw ServerChecks.invalidState(action, id, "task_state", servers.get(id).taskState());
      }
    }
  }

  /** Thrown inside a transaction to roll it back when a racing request changed the server first. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super(null, null, false, false);
    }
  }

  // Listing

  /** What {@code os-migrations} filters by; null means "any". */
  public record MigrationQuery(
      String host, String status, String serverId, String type, String sourceCompute, Instant changesSince,
      Instant changesBefore) {}

  /** Every migration the query selects, newest first (an admin's view: the API checks that). */
  public List<Migration> migrations(MigrationQuery q) {
    return migrations()
        .list(
            new MigrationStore.Filter(
                q.host(), q.status(), q.serverId(), q.type(), q.sourceCompute(), q.changesSince(), q.changesBefore()));
  }

  /** Runs one attempt of a {@code server.move} task (tests run it by hand). */
  String perform(Task t) throws Exception {
    return task.run(t);
  }

  /** What the runner calls when a {@code server.move} task failed for good. */
  void giveUp(Task t, String error) {
    task.onGiveUp(t, error);
  }

  // Helpers

  /** Nova's internal id of the server's current flavor, or null when that flavor is gone. */
  private Integer flavorSeq(Server server) {
    return flavors
        .find(new Actor(server.projectId(), server.userId(), true), server.flavor().id())
        .map(Flavor::seq)
        .orElse(null);
  }



  private MigrationStore migrations() {
    return new MigrationStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
