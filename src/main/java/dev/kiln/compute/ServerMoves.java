package dev.kiln.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.HypervisorDriver.MigrationRequest;
import dev.kiln.compute.Server.Fault;
import dev.kiln.compute.Server.FlavorSnapshot;
import dev.kiln.compute.Server.PluggedPort;
import dev.kiln.compute.store.InstanceActionStore;
import dev.kiln.compute.store.MigrationStore;
import dev.kiln.compute.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's resize, cold migration ({@code migrate}), and the confirmResize/revertResize that end
 * them, with Nova's migration records.
 *
 * <p>A move is checked as Nova's {@code nova/compute/api.py} checks it (lock, vm state active or
 * stopped with no task, flavor rules), then one transaction sets task state {@code resize_prep}
 * (status RESIZE) on the (vm_state, task_state) that was checked, records the migration ({@code
 * pre-migrating}) and the instance action, and submits a durable {@code server.move} task. The
 * request is answered 202 at once; as in Nova, scheduling happens afterwards, so a move no host can
 * take (NoValidHost) leaves the server as it was with the migration in error and the action's
 * event in error.
 *
 * <p>The task goes step by step, each step recorded in the migration's status so that a retried
 * task resumes where it stopped: scheduling claims the new flavor's resources on the destination
 * under the migration's uuid ({@code migrating}); the driver moves the instance ({@code
 * post-migrating}); the ports are bound to the destination and the server shows the destination
 * and the new flavor in VERIFY_RESIZE ({@code finished}). Until then the server keeps its own
 * claim on the source, so both hosts hold room for it, as Nova's placement does.
 *
 * <p>Confirming releases the source claim and hands the migration's claim to the server; reverting
 * releases the migration's claim and puts the server back on the source with its old flavor
 * (stored in the migration record) and ports. A driver failure during the move puts the server in
 * ERROR on the source with its old flavor (the destination claim released); a failure while
 * confirming or reverting leaves it in ERROR on the destination with the new flavor and the claims
 * to match.
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
  private static final Logger LOG = LoggerFactory.getLogger(ServerMoves.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String RESIZE_PREP = "resize_prep";
  private static final String RESIZE_MIGRATING = "resize_migrating";
  private static final String RESIZE_MIGRATED = "resize_migrated";
  private static final String RESIZE_FINISH = "resize_finish";
  private static final String RESIZE_CONFIRMING = "resize_confirming";
  private static final String RESIZE_REVERTING = "resize_reverting";
  private static final Set<String> MOVE_TASK_STATES = Set.of(RESIZE_PREP, RESIZE_MIGRATING, RESIZE_MIGRATED, RESIZE_FINISH);
  private static final List<String> MOVABLE_VM_STATES = List.of("active", "stopped");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final ComputeService compute;
  private final Servers servers;
  private final NetworkService network;
  private final TaskRunner tasks;
  private final Scheduler scheduler;

  public ServerMoves(
      Database db, Clock clock, IdGenerator ids, ComputeService compute, Servers servers, NetworkService network,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.compute = requireNonNull(compute, "compute is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.network = requireNonNull(network, "network is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.scheduler = new Scheduler(db, compute.fleet());
    tasks.register(
        MOVE_TASK,
        new TaskHandler() {
          @Override
          public String run(Task task) throws Exception {
            return perform(task);
          }

          @Override
          public void onGiveUp(Task task, String error) {
            giveUp(task, error);
          }
        });
  }

  // Starting a move

  /** Resizes the server to the flavor {@code flavorRef}; it ends in VERIFY_RESIZE. */
  public Migration resize(Actor actor, String id, String flavorRef) {
    for (int attempt = 0; ; attempt++) {
      Server server = servers.visible(actor, id);
      checkMovable(actor, server, "resize");
      Flavor flavor =
          compute.flavors().find(actor, flavorRef).filter(f -> !f.disabled())
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
        throw invalidState("resize", id, "task_state", servers.get(id).taskState());
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
        if (!compute.fleet().isKnown(host)) {
          throw ServiceException.invalid("ComputeHostNotFound", "Compute host " + host + " could not be found.");
        }
      }
      Integer seq = flavorSeq(server);
      Optional<Migration> started = begin(actor, server, Migration.MIGRATION, server.flavor(), seq, host, "migrate");
      if (started.isPresent()) {
        return started.get();
      }
      if (attempt >= 3) {
        throw invalidState("migrate", id, "task_state", servers.get(id).taskState());
      }
    }
  }

  private void checkMovable(Actor actor, Server server, String action) {
    checkLock(actor, server);
    if (server.host() == null) {
      throw ServiceException.conflict("InstanceNotReady", "Instance " + server.id() + " is not ready");
    }
    if (!MOVABLE_VM_STATES.contains(server.vmState())) {
      throw invalidState(action, server.id(), "vm_state", server.vmState());
    }
    if (server.taskState() != null) {
      throw invalidState(action, server.id(), "task_state", server.taskState());
    }
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
      checkLock(actor, server);
      if (!"resized".equals(server.vmState())) {
        throw invalidState(action, id, "vm_state", server.vmState());
      }
      if (server.taskState() != null) {
        throw invalidState(action, id, "task_state", server.taskState());
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
        throw invalidState(action, id, "task_state", servers.get(id).taskState());
      }
    }
  }

  /** Thrown inside a transaction to roll it back when a racing request changed the server first. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super(null, null, false, false);
    }
  }

  // The task

  /** The {@code server.move} task: one step after another, as the migration's status says. */
  String perform(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String uuid = payload.path("migration").asText();
    Migration migration = migrations().find(uuid).orElse(null);
    if (migration == null) {
      return null;
    }
    switch (payload.path("op").asText()) {
      case "move" -> move(uuid, payload);
      case "confirmResize" -> confirm(migration, payload.path("request_id").asText());
      case "revertResize" -> revert(migration, payload.path("request_id").asText());
      default -> LOG.warn("Unknown move step {} of migration {}", payload.path("op").asText(), uuid);
    }
    return null;
  }

  private void move(String uuid, JsonNode payload) {
    while (true) {
      Migration m = migrations().find(uuid).orElse(null);
      if (m == null || m.done() || m.status().equals(Migration.FINISHED)) {
        return; // an earlier attempt finished
      }
      Server server = new ServerStore(db.sql()).find(m.serverId()).orElse(null);
      if (server == null || server.taskState() == null || !MOVE_TASK_STATES.contains(server.taskState())) {
        abandon(m); // deleted, or a delete took over
        return;
      }
      boolean goOn =
          switch (m.status()) {
            case Migration.PRE_MIGRATING -> schedule(m, server, payload);
            case Migration.MIGRATING -> transfer(m, server);
            case Migration.POST_MIGRATING -> arrive(m, server);
            default -> false;
          };
      if (!goOn) {
        return;
      }
    }
  }

  /** Picks and claims the destination; NoValidHost puts the server back as it was. */
  private boolean schedule(Migration m, Server server, JsonNode payload) {
    String event = "conductor_migrate_server";
    events().startEvent(server.id(), m.requestId(), event, Fleet.CONTROL_HOST, now());
    Resources resources = m.newFlavor().resources(false);
    Optional<Hypervisor> destination =
        scheduler.selectAndClaim(
            new Scheduler.Request(
                m.uuid(), server.id(), resources, server.availabilityZone(), Set.of(m.sourceCompute()),
                m.requestedHost()));
    if (destination.isEmpty() && m.type().equals(Migration.RESIZE)) {
      // Like allow_resize_to_same_host: the current host when no other fits.
      destination =
          scheduler.selectAndClaim(
              new Scheduler.Request(
                  m.uuid(), server.id(), resources, server.availabilityZone(), Set.of(), m.sourceCompute()));
    }
    if (destination.isEmpty()) {
      LOG.info("No host for migration {} of server {}", m.uuid(), server.id());
      Instant now = now();
      db.inTransaction(
          sql -> {
            new ServerStore(sql)
                .finishAction(
                    server.id(), RESIZE_PREP, payload.path("previous_status").asText(), m.oldVmState(),
                    payload.path("previous_power_state").asInt(), false, now);
            new MigrationStore(sql).fail(m.uuid(), now);
            new InstanceActionStore(sql).finishEvent(server.id(), m.requestId(), event, Servers.NO_VALID_HOST, now);
            return null;
          });
      return false;
    }
    String host = destination.get().hostname();
    Instant now = now();
    boolean moved =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql).advanceTaskState(server.id(), RESIZE_PREP, RESIZE_MIGRATING, now)) {
                return false;
              }
              new MigrationStore(sql).setDestination(m.uuid(), Migration.PRE_MIGRATING, Migration.MIGRATING, host, now);
              new InstanceActionStore(sql).finishEvent(server.id(), m.requestId(), event, null, now);
              return true;
            });
    if (!moved) {
      abandon(m);
    }
    return moved;
  }

  /** The driver moves the instance; a failure leaves it in ERROR on the source. */
  private boolean transfer(Migration m, Server server) {
    String event = "compute_resize_instance";
    events().startEvent(server.id(), m.requestId(), event, m.sourceCompute(), now());
    MigrationRequest request = request(m);
    try {
      if (m.type().equals(Migration.RESIZE)) {
        compute.driver().resize(request);
      } else {
        compute.driver().migrate(request);
      }
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to move to {}: {}", server.id(), m.destCompute(), e.getMessage());
      compute.fleet().release(m.uuid());
      Instant now = now();
      db.inTransaction(
          sql -> {
            new ServerStore(sql).failAction(server.id(), RESIZE_MIGRATING, new Fault(500, e.getMessage(), null, now), now);
            new MigrationStore(sql).fail(m.uuid(), now);
            new InstanceActionStore(sql).finishEvent(server.id(), m.requestId(), event, e.getMessage(), now);
            return null;
          });
      return false;
    }
    Instant now = now();
    boolean moved =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql).advanceTaskState(server.id(), RESIZE_MIGRATING, RESIZE_MIGRATED, now)) {
                return false;
              }
              new MigrationStore(sql).advance(m.uuid(), Migration.MIGRATING, Migration.POST_MIGRATING, now);
              new InstanceActionStore(sql).finishEvent(server.id(), m.requestId(), event, null, now);
              return true;
            });
    if (!moved) {
      abandon(m);
    }
    return moved;
  }

  /** Binds the ports on the destination and shows the server there, with its new flavor, to verify. */
  private boolean arrive(Migration m, Server server) {
    if (server.taskState().equals(RESIZE_MIGRATED)
        && !new ServerStore(db.sql()).advanceTaskState(server.id(), RESIZE_MIGRATED, RESIZE_FINISH, now())) {
      return true; // changed meanwhile: look again
    }
    String event = "compute_finish_resize";
    events().startEvent(server.id(), m.requestId(), event, m.destCompute(), now());
    String zone = zoneOf(m.destCompute(), server);
    plugPorts(server, m.destCompute(), zone);
    int power = "stopped".equals(m.oldVmState()) ? ServerActions.SHUTDOWN : ServerActions.RUNNING;
    Instant now = now();
    boolean arrived =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql)
                  .finishMove(server.id(), RESIZE_FINISH, m.destCompute(), zone, m.newFlavor(), VERIFY_RESIZE, "resized", power, now)) {
                return false;
              }
              new MigrationStore(sql).advance(m.uuid(), Migration.POST_MIGRATING, Migration.FINISHED, now);
              new InstanceActionStore(sql).finishEvent(server.id(), m.requestId(), event, null, now);
              return true;
            });
    if (!arrived) {
      abandon(m);
    }
    return false;
  }

  private void confirm(Migration m, String requestId) {
    if (!m.status().equals(Migration.CONFIRMING)) {
      return; // an earlier attempt finished
    }
    Server server = new ServerStore(db.sql()).find(m.serverId()).orElse(null);
    if (server == null || !RESIZE_CONFIRMING.equals(server.taskState())) {
      return; // deleted, or a delete took over (it releases the claims)
    }
    String event = "compute_confirm_resize";
    events().startEvent(server.id(), requestId, event, m.sourceCompute(), now());
    HypervisorException failure = null;
    try {
      compute.driver().confirmMigration(request(m));
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to confirm its resize: {}", server.id(), e.getMessage());
      failure = e;
    }
    settleOnDestination(m);
    Instant now = now();
    HypervisorException failed = failure;
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          if (failed != null) {
            store.failAction(server.id(), RESIZE_CONFIRMING, new Fault(500, failed.getMessage(), null, now), now);
            new MigrationStore(sql).fail(m.uuid(), now);
          } else {
            boolean stopped = server.powerState() == ServerActions.SHUTDOWN;
            store.finishAction(
                server.id(), RESIZE_CONFIRMING, stopped ? Server.SHUTOFF : Server.ACTIVE, stopped ? "stopped" : "active",
                server.powerState(), false, now);
            new MigrationStore(sql).advance(m.uuid(), Migration.CONFIRMING, Migration.CONFIRMED, now);
          }
          new InstanceActionStore(sql).finishEvent(server.id(), requestId, event, failed == null ? null : failed.getMessage(), now);
          return null;
        });
  }

  private void revert(Migration m, String requestId) {
    if (!m.status().equals(Migration.REVERTING)) {
      return; // an earlier attempt finished
    }
    Server server = new ServerStore(db.sql()).find(m.serverId()).orElse(null);
    if (server == null || !RESIZE_REVERTING.equals(server.taskState())) {
      return; // deleted, or a delete took over (it releases the claims)
    }
    String event = "compute_revert_resize";
    events().startEvent(server.id(), requestId, event, m.destCompute(), now());
    try {
      compute.driver().revertMigration(request(m));
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to revert its resize: {}", server.id(), e.getMessage());
      settleOnDestination(m);
      Instant now = now();
      db.inTransaction(
          sql -> {
            new ServerStore(sql).failAction(server.id(), RESIZE_REVERTING, new Fault(500, e.getMessage(), null, now), now);
            new MigrationStore(sql).fail(m.uuid(), now);
            new InstanceActionStore(sql).finishEvent(server.id(), requestId, event, e.getMessage(), now);
            return null;
          });
      return;
    }
    compute.fleet().release(m.uuid());
    events().finishEvent(server.id(), requestId, event, null, now());
    String finish = "compute_finish_revert_resize";
    events().startEvent(server.id(), requestId, finish, m.sourceCompute(), now());
    String zone = zoneOf(m.sourceCompute(), server);
    plugPorts(server, m.sourceCompute(), zone);
    boolean stopped = "stopped".equals(m.oldVmState());
    Instant now = now();
    db.inTransaction(
        sql -> {
          if (new ServerStore(sql)
              .finishMove(
                  server.id(), RESIZE_REVERTING, m.sourceCompute(), zone, m.oldFlavor(),
                  stopped ? Server.SHUTOFF : Server.ACTIVE, stopped ? "stopped" : "active",
                  stopped ? ServerActions.SHUTDOWN : ServerActions.RUNNING, now)) {
            new MigrationStore(sql).advance(m.uuid(), Migration.REVERTING, Migration.REVERTED, now);
          }
          new InstanceActionStore(sql).finishEvent(server.id(), requestId, finish, null, now);
          return null;
        });
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

  /**
   * After the task's last attempt failed (e.g. Networking kept refusing a port binding): the
   * server goes to ERROR with the claims matching where it is shown, so that it can be deleted or
   * rebuilt instead of staying in RESIZE for ever.
   */
  void giveUp(Task task, String error) {
    String uuid;
    try {
      uuid = JSON.readTree(task.payload()).path("migration").asText();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return;
    }
    Migration m = migrations().find(uuid).orElse(null);
    Server server = m == null ? null : new ServerStore(db.sql()).find(m.serverId()).orElse(null);
    if (m == null || m.done() || server == null || server.taskState() == null
        || !(MOVE_TASK_STATES.contains(server.taskState()) || server.taskState().equals(RESIZE_CONFIRMING)
            || server.taskState().equals(RESIZE_REVERTING))) {
      return; // finished, or deleted or being deleted (the delete releases the claims)
    }
    Instant now = now();
    Fault fault = new Fault(500, error, null, now);
    switch (m.status()) {
      case Migration.PRE_MIGRATING, Migration.MIGRATING, Migration.POST_MIGRATING -> {
        // Back on the source, where the server's own claim is.
        compute.fleet().release(m.uuid());
        try {
          plugPorts(server, m.sourceCompute(), zoneOf(m.sourceCompute(), server));
        } catch (RuntimeException e) {
          LOG.warn("Could not bind server {}'s ports back to {}: {}", server.id(), m.sourceCompute(), e.getMessage());
        }
      }
      case Migration.CONFIRMING -> settleOnDestination(m);
      case Migration.REVERTING -> {
        if (compute.fleet().findClaim(m.uuid()).isPresent()) {
          settleOnDestination(m);
        } else {
          // The destination was given up already: show the server on the source, as claimed.
          new ServerStore(db.sql())
              .finishMove(
                  server.id(), RESIZE_REVERTING, m.sourceCompute(), zoneOf(m.sourceCompute(), server), m.oldFlavor(),
                  Server.ERROR, "error", 0, now);
          new ServerStore(db.sql()).setError(server.id(), fault, now);
          migrations().fail(m.uuid(), now);
          return;
        }
      }
      default -> {
        return;
      }
    }
    db.inTransaction(
        sql -> {
          new ServerStore(sql).failAction(server.id(), server.taskState(), fault, now);
          new MigrationStore(sql).fail(m.uuid(), now);
          return null;
        });
  }

  // Claims

  /**
   * Leaves the server holding the destination's claim: its source claim released, the
   * migration's handed over. Safe to repeat: once the migration's claim is gone there is nothing
   * to do (the server's claim then is the destination's).
   */
  private void settleOnDestination(Migration m) {
    if (compute.fleet().findClaim(m.uuid()).isPresent()) {
      compute.fleet().release(m.serverId());
      compute.fleet().transferClaim(m.uuid(), m.serverId());
    }
  }

  /** Gives up a move whose server was deleted or is being deleted: the destination claim goes. */
  private void abandon(Migration m) {
    compute.fleet().release(m.uuid());
    migrations().fail(m.uuid(), now());
  }

  /**
   * For a server being deleted: releases the destination claims of its unfinished moves. A move
   * waiting to be verified counts as confirmed (Nova confirms a resize when the server is
   * deleted), others end in error. Called by the delete task; safe to repeat.
   */
  static void releaseMoveClaims(Database db, Fleet fleet, String serverId, Instant now) {
    MigrationStore store = new MigrationStore(db.sql());
    for (Migration m : store.unfinished(serverId)) {
      fleet.release(m.uuid());
      if (!store.advance(m.uuid(), Migration.FINISHED, Migration.CONFIRMED, now)) {
        store.fail(m.uuid(), now);
      }
    }
  }

  // Helpers

  private void plugPorts(Server server, String host, String zone) {
    for (PluggedPort p : server.ports()) {
      try {
        network.ports().plug(p.portId(), server.id(), "compute:" + zone, host);
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e; // the runner retries the step
        }
      }
    }
  }

  private String zoneOf(String host, Server server) {
    return compute.fleet().hypervisor(host).map(Hypervisor::availabilityZone).orElse(server.availabilityZone());
  }

  private static MigrationRequest request(Migration m) {
    return new MigrationRequest(
        m.serverId(), m.sourceCompute(), m.destCompute(), m.oldFlavor().resources(false), m.newFlavor().resources(false));
  }

  /** Nova's internal id of the server's current flavor, or null when that flavor is gone. */
  private Integer flavorSeq(Server server) {
    return compute.flavors()
        .find(new Actor(server.projectId(), server.userId(), true), server.flavor().id())
        .map(Flavor::seq)
        .orElse(null);
  }

  private static void checkLock(Actor actor, Server server) {
    if (server.locked() && !actor.admin()) {
      throw ServiceException.conflict("InstanceIsLocked", "Instance " + server.id() + " is locked");
    }
  }

  /** Nova's conflictingRequest for an action the server's state does not allow. */
  static ServiceException invalidState(String action, String id, String attribute, String state) {
    return ServiceException.conflict(
        "InstanceInvalidState", "Cannot '" + action + "' instance " + id + " while it is in " + attribute + " " + state);
  }

  private MigrationStore migrations() {
    return new MigrationStore(db.sql());
  }

  private InstanceActionStore events() {
    return new InstanceActionStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
