package dev.kiln.compute.moves;

import static dev.kiln.compute.moves.ServerMoves.MOVE_TASK_STATES;
import static dev.kiln.compute.moves.ServerMoves.RESIZE_CONFIRMING;
import static dev.kiln.compute.moves.ServerMoves.RESIZE_FINISH;
import static dev.kiln.compute.moves.ServerMoves.RESIZE_MIGRATED;
import static dev.kiln.compute.moves.ServerMoves.RESIZE_MIGRATING;
import static dev.kiln.compute.moves.ServerMoves.RESIZE_PREP;
import static dev.kiln.compute.moves.ServerMoves.RESIZE_REVERTING;
import static dev.kiln.compute.moves.ServerMoves.VERIFY_RESIZE;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.compute.fleet.HypervisorDriver.MigrationRequest;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.fleet.Scheduler;
import dev.kiln.compute.servers.Migration;
import dev.kiln.compute.servers.Server.Fault;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerVolumes;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.MigrationStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@code server.move} task that {@link ServerMoves} submits: a resize or cold
 * migration step by step, or the confirm or revert that ends one.
 *
 * <p>Each step of a move is recorded in the migration's status, so a retried task resumes where
 * it stopped: scheduling claims the new flavor's resources on the destination under the
 * migration's uuid ({@code migrating}); the driver moves the instance ({@code post-migrating}); the
 * ports are bound to the destination and the server shows the destination and the new flavor in
 * VERIFY_RESIZE ({@code finished}). Every change of the server is conditional on the task state
 * the step expects, so a delete that took over (task state {@code deleting}) stops the move, which
 * then gives its destination claim back.
 *
 * <p>Claims always match where the server is shown: during the move the server keeps its own claim
 * on the source and the migration holds the destination's; a failed move drops the destination
 * claim; confirming (or failing to confirm or revert, which leaves the server on the destination)
 * releases the source claim and hands the migration's to the server; reverting drops the
 * migration's.
 *
 * <p>Why over 400 lines: one durable handler for the whole resize and cold migration state machine
 * (prepare, migrate, arrive, confirm, revert); each step's conditional update and its undo stay
 * together.
 */
final class MoveTask implements TaskHandler {
  private static final Logger LOG = LoggerFactory.getLogger(MoveTask.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The migration statuses of a move under way. */
  private static final Set<String> IN_FLIGHT = Set.of(Migration.PRE_MIGRATING, Migration.MIGRATING, Migration.POST_MIGRATING);

  private final Database db;
  private final Clock clock;
  private final Fleet fleet;
  private final HypervisorDriver driver;
  private final MoveBindings bindings;
  private final ServerVolumes volumes;
  private final Scheduler scheduler;

  MoveTask(Database db, Clock clock, Fleet fleet, HypervisorDriver driver, NetworkService network, ServerVolumes volumes) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.bindings = new MoveBindings(db, requireNonNull(network, "network is null"));
    this.volumes = requireNonNull(volumes, "volumes is null");
    this.scheduler = new Scheduler(db, fleet);
  }

  @Override
  public String run(Task task) throws Exception {
    return perform(task);
  }

  @Override
  public void onGiveUp(Task task, String error) {
    giveUp(task, error);
  }

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
      if (m == null || !IN_FLIGHT.contains(m.status())) {
        return; // an earlier attempt finished (the move may be being confirmed or reverted by now)
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
    String zone = new ServerStore(db.sql()).requestedZone(server.id());
    Optional<Hypervisor> destination =
        scheduler.selectAndClaim(
            new Scheduler.Request(
                m.uuid(), server.id(), resources, zone, Set.of(m.sourceCompute()),
                m.requestedHost()));
    if (destination.isEmpty() && m.type().equals(Migration.RESIZE)) {
      // Like allow_resize_to_same_host: the current host when no other fits.
      destination =
          scheduler.selectAndClaim(
              new Scheduler.Request(
                  m.uuid(), server.id(), resources, zone, Set.of(), m.sourceCompute()));
    }
    if (destination.isEmpty()) {
      LOG.info("No host for migration {} of server {}", m.uuid(), server.id());
      notBegun(m, server, payload, event, Servers.NO_VALID_HOST);
      return false;
    }
    String host = destination.get().hostname();
    try {
      return endStep(
          m,
          event,
          (sql, now) -> {
            if (!new ServerStore(sql).advanceTaskState(server.id(), RESIZE_PREP, RESIZE_MIGRATING, now)) {
              return false;
            }
            if (!host.equals(m.sourceCompute())) {
              // As for a live migration: every port can bind on the destination, or nothing moves.
              // The bindings commit with the step that records the destination (Networking's
              // writes join it): made in a commit of their own, a kill before the step's left them
              // behind, and the step, repeated, was refused by the bindings it had made itself.
              bindings.prepare(server, host);
            }
            new MigrationStore(sql).setDestination(m.uuid(), Migration.PRE_MIGRATING, Migration.MIGRATING, host, now);
            return true;
          });
    } catch (ServiceException e) {
      LOG.info("Ports of server {} cannot bind on {}: {}", server.id(), host, e.getMessage());
      fleet.release(m.uuid());
      notBegun(m, server, payload, event, e.getMessage());
      return false;
    }
  }

  /** The move did not begin: the server is back as it was, the migration failed, and why. */
  private void notBegun(Migration m, Server server, JsonNode payload, String event, String why) {
    Instant now = now();
    db.inTransaction(
        sql -> {
          new ServerStore(sql)
              .finishAction(
                  server.id(), RESIZE_PREP, payload.path("previous_status").asText(), m.oldVmState(),
                  payload.path("previous_power_state").asInt(), false, now);
          new MigrationStore(sql).fail(m.uuid(), now);
          new InstanceActionStore(sql).finishEvent(server.id(), m.requestId(), event, why, now);
          return null;
        });
  }

  /** The driver moves the instance; a failure leaves it in ERROR on the source. */
  private boolean transfer(Migration m, Server server) {
    String event = "compute_resize_instance";
    events().startEvent(server.id(), m.requestId(), event, m.sourceCompute(), now());
    MigrationRequest request = request(m);
    try {
      if (m.type().equals(Migration.RESIZE)) {
        driver.resize(request);
      } else {
        driver.migrate(request);
      }
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to move to {}: {}", server.id(), m.destCompute(), e.getMessage());
      fleet.release(m.uuid());
      if (!m.destCompute().equals(m.sourceCompute())) {
        bindings.dropInactive(server, m.destCompute());
      }
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
    return endStep(
        m,
        event,
        (sql, now) -> {
          if (!new ServerStore(sql).advanceTaskState(server.id(), RESIZE_MIGRATING, RESIZE_MIGRATED, now)) {
            return false;
          }
          new MigrationStore(sql).advance(m.uuid(), Migration.MIGRATING, Migration.POST_MIGRATING, now);
          return true;
        });
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
    bindings.activate(server, m.destCompute(), zone);
    volumes.moveAttachments(server, m.destCompute());
    int power = "stopped".equals(m.oldVmState()) ? Server.POWER_SHUTDOWN : Server.POWER_RUNNING;
    endStep(
        m,
        event,
        (sql, now) -> {
          if (!new ServerStore(sql)
              .finishMove(server.id(), RESIZE_FINISH, m.destCompute(), zone, m.newFlavor(), VERIFY_RESIZE, "resized", power, now)) {
            return false;
          }
          new MigrationStore(sql).advance(m.uuid(), Migration.POST_MIGRATING, Migration.FINISHED, now);
          return true;
        });
    return false;
  }

  /** A step's own writes, given the transaction and the time; false when the server moved on. */
  @FunctionalInterface
  private interface StepWrites {
    boolean apply(Sql sql, Instant now);
  }

  /**
   * Ends a step of the move in one transaction: the step's writes (the server's conditional
   * update first; other services' writes they make join it) and the finish of its instance action
   * event. When the server has moved on (a delete took over), nothing is written and the migration
   * is abandoned.
   */
  private boolean endStep(Migration m, String event, StepWrites writes) {
    Instant now = now();
    boolean done =
        db.inTransactionJoinedByNestedWork(
            sql -> {
              if (!writes.apply(sql, now)) {
                return false;
              }
              new InstanceActionStore(sql).finishEvent(m.serverId(), m.requestId(), event, null, now);
              return true;
            });
    if (!done) {
      abandon(m);
    }
    return done;
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
      driver.confirmMigration(request(m));
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to confirm its resize: {}", server.id(), e.getMessage());
      failure = e;
    }
    settleOnDestination(m);
    // The server is shown on the destination since it arrived: its ports' active bindings are
    // there (asserted again, as every end of a move does, whatever an interrupted step left).
    bindings.activate(server, server.host(), zoneOf(server.host(), server));
    if (!m.destCompute().equals(m.sourceCompute())) {
      bindings.dropInactive(server, m.sourceCompute());
    }
    Instant now = now();
    HypervisorException failed = failure;
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          if (failed != null) {
            store.failAction(server.id(), RESIZE_CONFIRMING, new Fault(500, failed.getMessage(), null, now), now);
            new MigrationStore(sql).fail(m.uuid(), now);
          } else {
            boolean stopped = server.powerState() == Server.POWER_SHUTDOWN;
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
    // An earlier attempt that released the destination's claim had the driver revert already and
    // died while putting the server back on its source: that is finished, not reverted again (a
    // failure then would leave the server on a destination it no longer has a claim or binding on).
    boolean reverted = fleet.findClaim(m.uuid()).isEmpty();
    try {
      if (!reverted) {
        driver.revertMigration(request(m));
      }
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to revert its resize: {}", server.id(), e.getMessage());
      settleOnDestination(m);
      // The server stays on the destination: its ports stay (or become again) active there.
      bindings.activate(server, m.destCompute(), zoneOf(m.destCompute(), server));
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
    fleet.release(m.uuid());
    events().finishEvent(server.id(), requestId, event, null, now());
    String finish = "compute_finish_revert_resize";
    events().startEvent(server.id(), requestId, finish, m.sourceCompute(), now());
    String zone = zoneOf(m.sourceCompute(), server);
    bindings.activate(server, m.sourceCompute(), zone);
    if (!m.destCompute().equals(m.sourceCompute())) {
      bindings.dropInactive(server, m.destCompute());
    }
    volumes.moveAttachments(server, m.sourceCompute());
    boolean stopped = "stopped".equals(m.oldVmState());
    Instant now = now();
    db.inTransaction(
        sql -> {
          if (new ServerStore(sql)
              .finishMove(
                  server.id(), RESIZE_REVERTING, m.sourceCompute(), zone, m.oldFlavor(),
                  stopped ? Server.SHUTOFF : Server.ACTIVE, stopped ? "stopped" : "active",
                  stopped ? Server.POWER_SHUTDOWN : Server.POWER_RUNNING, now)) {
            new MigrationStore(sql).advance(m.uuid(), Migration.REVERTING, Migration.REVERTED, now);
          }
          new InstanceActionStore(sql).finishEvent(server.id(), requestId, finish, null, now);
          return null;
        });
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
        fleet.release(m.uuid());
        backOnSource(m, server);
      }
      case Migration.CONFIRMING -> {
        settleOnDestination(m);
        stayOnDestination(m, server);
      }
      case Migration.REVERTING -> {
        if (fleet.findClaim(m.uuid()).isPresent()) {
          settleOnDestination(m);
          stayOnDestination(m, server);
        } else {
          // The destination was given up already: show the server on the source, as claimed, with
          // its ports active and its volumes attached there.
          backOnSource(m, server);
          // Only while the revert still holds the server: a delete that took it over since keeps
          // its 'deleting' (an unconditional ERROR would clear it, and the delete's task would stop).
          db.inTransaction(
              sql -> {
                ServerStore store = new ServerStore(sql);
                if (store.finishMove(
                    server.id(), RESIZE_REVERTING, m.sourceCompute(), zoneOf(m.sourceCompute(), server), m.oldFlavor(),
                    Server.ERROR, "error", 0, now)) {
                  store.setError(server.id(), fault, now);
                }
                new MigrationStore(sql).fail(m.uuid(), now);
                return null;
              });
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

  /**
   * For a move given up before it ends on the destination: the ports' active bindings and the
   * volumes' attachments go back to (or stay on) the source, and what was made on the destination
   * goes. A failure is logged: the server goes to ERROR either way.
   */
  private void backOnSource(Migration m, Server server) {
    try {
      bindings.activate(server, m.sourceCompute(), zoneOf(m.sourceCompute(), server));
      volumes.moveAttachments(server, m.sourceCompute());
      if (m.destCompute() != null && !m.destCompute().equals(m.sourceCompute())) {
        bindings.dropInactive(server, m.destCompute());
      }
      volumes.dropOtherAttachments(server);
    } catch (RuntimeException e) {
      LOG.warn("Could not bind server {}'s ports back to {}: {}", server.id(), m.sourceCompute(), e.getMessage());
    }
  }

  /** For a move given up once the server is on its destination: its ports stay active there. */
  private void stayOnDestination(Migration m, Server server) {
    try {
      bindings.activate(server, m.destCompute(), zoneOf(m.destCompute(), server));
    } catch (RuntimeException e) {
      LOG.warn("Could not bind server {}'s ports on {}: {}", server.id(), m.destCompute(), e.getMessage());
    }
  }

  // Claims

  /**
   * Leaves the server holding the destination's claim: its source claim released, the
   * migration's handed over. Safe to repeat: once the migration's claim is gone there is nothing
   * to do (the server's claim then is the destination's).
   */
  private void settleOnDestination(Migration m) {
    if (fleet.findClaim(m.uuid()).isPresent()) {
      fleet.release(m.serverId());
      fleet.transferClaim(m.uuid(), m.serverId());
    }
  }

  /** Gives up a move whose server was deleted or is being deleted: the destination claim goes. */
  private void abandon(Migration m) {
    fleet.release(m.uuid());
    migrations().fail(m.uuid(), now());
  }

  // Helpers

  private String zoneOf(String host, Server server) {
    return fleet.hypervisor(host).map(Hypervisor::availabilityZone).orElse(server.availabilityZone());
  }

  private static MigrationRequest request(Migration m) {
    return new MigrationRequest(
        m.serverId(), m.sourceCompute(), m.destCompute(), m.oldFlavor().resources(false), m.newFlavor().resources(false));
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
