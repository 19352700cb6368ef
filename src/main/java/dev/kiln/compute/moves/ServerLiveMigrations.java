package dev.kiln.compute.moves;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.compute.fleet.HypervisorDriver.LiveMigrationRequest;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.fleet.Scheduler;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Migration;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.MigrationStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live migration ({@code os-migrateLive}) over Networking's port bindings, as Nova and Neutron
 * designed it at the Ocata summit, and Block Storage's attachments:
 *
 * <ol>
 *   <li>pre-migration: the destination is chosen (or checked) and claimed; every port gets an
 *       INACTIVE binding on the destination and every volume an attachment connected there. If
 *       any of that fails, what was made is deleted and nothing has moved;
 *   <li>migration: the driver moves the running server (it takes as long as the simulated
 *       latency; an abort meanwhile rolls back afterwards);
 *   <li>post-migration: the destination bindings are activated (the source ones go INACTIVE) and
 *       the source bindings deleted, the destination attachments completed and the source ones
 *       deleted, the server's host and claim follow.
 * </ol>
 *
 * <p>The server holds task state {@code migrating} throughout, so no other action, attach or move
 * interleaves; the migration record moves queued → preparing → running → completed (or error,
 * or cancelled after an abort).
 *
 * <p>Why over 400 lines: one state machine, start to abort, whose steps and their rollbacks with
 * Networking and Block Storage read best together.
 */
public final class ServerLiveMigrations {
  static final String TASK = "server.live_migrate";
  private static final Logger LOG = LoggerFactory.getLogger(ServerLiveMigrations.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TASK_STATE = "migrating";
  private static final List<String> ALLOWED_VM_STATES = List.of("active", "paused");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Fleet fleet;
  private final HypervisorDriver driver;
  private final NetworkService network;
  private final Servers servers;
  private final Scheduler scheduler;
  private final MoveBindings bindings;
  private final TaskRunner tasks;

  public ServerLiveMigrations(
      Database db,
      Clock clock,
      IdGenerator ids,
      Fleet fleet,
      HypervisorDriver driver,
      NetworkService network,
      Servers servers,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.network = requireNonNull(network, "network is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.scheduler = new Scheduler(db, fleet);
    this.bindings = new MoveBindings(db, network);
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(
        TASK,
        TaskHandler.withGiveUp(
            task -> {
              migrate(JSON.readTree(task.payload()));
              return null;
            },
            (task, error) -> giveUp(payload(task), error)));
  }

  /**
   * Starts a live migration (admins only).
   *
   * @param host the destination asked for, or null to let the scheduler choose
   * @param force whether to skip the scheduler's checks of the given host (before 2.68)
   */
  public Migration start(Actor actor, String serverId, String host, boolean force) {
    if (!actor.admin()) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized", "Policy doesn't allow os_compute_api:os-migrate-server:migrate_live to be performed.");
    }
    Server server = servers.visible(actor, serverId);
    ServerChecks.requireReady(actor, server, "os-migrateLive", ALLOWED_VM_STATES);
    if (host != null) {
      if (!fleet.isKnown(host)) {
        throw ServiceException.invalid("ComputeHostNotFound", "Compute host " + host + " could not be found.");
      }
      if (host.equals(server.host())) {
        throw ServiceException.invalid(
            "UnableToMigrateToSelf",
            "Unable to migrate instance (" + serverId + ") to current host (" + host + ").");
      }
    }
    ServerChecks.requireVolumesSettled(servers, server, "os-migrateLive");
    Instant now = now();
    String requestId = InstanceAction.currentRequestId(ids);
    Migration migration =
        new Migration(
            0, ids.uuid(), serverId, server.projectId(), server.userId(), Migration.LIVE_MIGRATION, Migration.QUEUED,
            server.host(), host, host, server.flavor(), server.flavor(), null, null, server.vmState(), requestId, now, now);
    String payload =
        JSON.createObjectNode()
            .put("migration_uuid", migration.uuid())
            .put("force", force)
            .put("previous_status", server.status())
            .toString();
    boolean begun =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql).beginAction(serverId, server.vmState(), null, TASK_STATE, "MIGRATING", now)) {
                return false;
              }
              new MigrationStore(sql).insert(migration);
              new InstanceActionStore(sql).insert(serverId, requestId, "live-migration", server.projectId(), actor.userId(), now);
              tasks.submit(sql, TASK, payload, now, 3);
              return true;
            });
    if (!begun) {
      throw ServerChecks.invalidState("os-migrateLive", serverId, "task_state", servers.get(serverId).taskState());
    }
    tasks.wake();
    return new MigrationStore(db.sql()).find(migration.uuid()).orElseThrow();
  }

  /** What a move made on the destination, so that a failure can take it back. */
  private record Prepared(List<String> boundPorts, Map<String, String> attachments) {}

  /** The live migration task (package-private: the kill tests run it by hand). */
  void migrate(JsonNode payload) {
    String uuid = payload.path("migration_uuid").asText();
    MigrationStore store = new MigrationStore(db.sql());
    Migration migration = store.find(uuid).orElse(null);
    if (migration == null || migration.done()) {
      return;
    }
    Server server = servers.find(migration.serverId()).orElse(null);
    if (server == null || !TASK_STATE.equals(server.taskState())) {
      store.fail(uuid, now()); // deleted or taken over: ServerMoves' delete hook gave the claim back
      fleet.release(uuid);
      return;
    }
    String previousStatus = payload.path("previous_status").asText(Server.ACTIVE);
    String source = server.host();
    InstanceActionStore actions = new InstanceActionStore(db.sql());
    String event = "compute_live_migration";
    actions.startEvent(server.id(), migration.requestId(), event, source, now());
    if (migration.status().equals(Migration.CANCELLING) || migration.status().equals(Migration.RUNNING)
        || migration.status().equals(Migration.PREPARING)) {
      // An earlier attempt died part way (or was aborted before it started): start over cleanly.
      rollBack(server, migration, previousStatus, null, migration.status().equals(Migration.CANCELLING));
      actions.finishEvent(server.id(), migration.requestId(), event, "The migration did not complete.", now());
      return;
    }
    // What this attempt makes on the destination, for the roll-back to take back.
    Prepared prepared = new Prepared(new ArrayList<>(), new LinkedHashMap<>());
    if (!store.advance(uuid, Migration.QUEUED, Migration.PREPARING, now())) {
      // Aborted before it began preparing: nothing was made, the server stays as it was.
      rollBack(server, migration, previousStatus, prepared, true);
      actions.finishEvent(server.id(), migration.requestId(), event, "The migration was aborted.", now());
      return;
    }

    Resources resources = server.flavor().resources(server.imageId() == null);
    Optional<Hypervisor> destination = place(server, migration, resources, payload.path("force").asBoolean());
    if (destination.isEmpty()) {
      String why = migration.requestedHost() == null ? Scheduler.NO_VALID_HOST
          : "No valid host was found. Host " + migration.requestedHost() + " cannot take the server.";
      rollBack(server, migration, previousStatus, null, false);
      actions.finishEvent(server.id(), migration.requestId(), event, why, now());
      return;
    }
    String dest = destination.get().hostname();
    if (!store.setDestination(uuid, Migration.PREPARING, Migration.PREPARING, dest, now())) {
      // Aborted while it was placed: only the destination's claim was made, and the roll-back
      // gives it back (with no destination recorded, nothing is looked for there).
      rollBack(server, migration, previousStatus, prepared, true);
      actions.finishEvent(server.id(), migration.requestId(), event, "The migration was aborted.", now());
      return;
    }
    try {
      prepared.boundPorts().addAll(bindings.prepare(server, dest));
      for (BlockDevice d : servers.blockDevices(server.id())) {
        prepared.attachments().put(
            d.id(), servers.volumes().attachForMove(Servers.system(server), d.volumeId(), server.id(), dest, d.deviceName()));
      }
      if (!store.advance(uuid, Migration.PREPARING, Migration.RUNNING, now())) {
        rollBack(server, migration, previousStatus, prepared, true); // aborted while preparing
        actions.finishEvent(server.id(), migration.requestId(), event, "The migration was aborted.", now());
        return;
      }
      driver.liveMigrate(new LiveMigrationRequest(server.id(), source, dest, false));
    } catch (ServiceException | HypervisorException e) {
      LOG.info("Live migration of server {} to {} failed: {}", server.id(), dest, e.getMessage());
      rollBack(server, migration, previousStatus, prepared, false);
      actions.finishEvent(server.id(), migration.requestId(), event, e.getMessage(), now());
      return;
    }
    if (store.find(uuid).map(Migration::status).orElse("").equals(Migration.CANCELLING)) {
      rollBack(server, migration, previousStatus, prepared, true);
      actions.finishEvent(server.id(), migration.requestId(), event, "The migration was aborted.", now());
      return;
    }
    finishOnDestination(server, migration, destination.get(), prepared, previousStatus);
    actions.finishEvent(server.id(), migration.requestId(), event, null, now());
  }

  /** The destination: the scheduler's choice, or the admin's host (checked unless forced). */
  private Optional<Hypervisor> place(Server server, Migration migration, Resources resources, boolean force) {
    String requested = migration.requestedHost();
    if (requested != null && force) {
      return fleet.claim(migration.uuid(), requested, resources)
          ? fleet.hypervisor(requested)
          : Optional.empty();
    }
    return scheduler.selectAndClaim(
        new Scheduler.Request(
            migration.uuid(), server.id(), resources,
            requested == null ? new ServerStore(db.sql()).requestedZone(server.id()) : null,
            Set.of(server.host()), requested));
  }

  /** Post-migration: bindings, attachments, host and claim move to the destination. */
  private void finishOnDestination(
      Server server, Migration migration, Hypervisor dest, Prepared prepared, String previousStatus) {
    bindings.activate(server, dest.hostname(), dest.availabilityZone());
    bindings.dropInactive(server, server.host());
    Actor system = Servers.system(server);
    for (BlockDevice d : servers.blockDevices(server.id())) {
      String moved = prepared.attachments().get(d.id());
      if (moved == null) {
        continue;
      }
      servers.volumes().switchAttachment(system, d, moved);
    }
    Instant now = now();
    // The host, the migration's end, the server's return to its status and the claims (the
    // source's released, the destination's handed to the server) commit together: a crash between
    // them left the migration completed and the server MIGRATING for good, or claiming the source
    // while shown on the destination (an attempt that takes over sees the migration done and stops).
    db.inTransactionJoinedByNestedWork(
        sql -> {
          ServerStore store = new ServerStore(sql);
          store.setHost(server.id(), dest.hostname(), dest.availabilityZone(), now);
          // An abort that came after the driver's move finds it done: the migration completes.
          MigrationStore migrations = new MigrationStore(sql);
          if (!migrations.advance(migration.uuid(), Migration.RUNNING, Migration.COMPLETED, now)) {
            migrations.advance(migration.uuid(), Migration.CANCELLING, Migration.COMPLETED, now);
          }
          store.finishAction(server.id(), TASK_STATE, previousStatus, server.vmState(), server.powerState(), false, now);
          fleet.release(server.id());
          fleet.transferClaim(migration.uuid(), server.id());
          return null;
        });
  }

  /**
   * Takes back what the pre-migration made (destination bindings and attachments, the claim); the
   * server stays on its source as it was; the migration ends in error, or cancelled after an abort.
   */
  private void rollBack(Server server, Migration migration, String previousStatus, Prepared prepared, boolean cancelled) {
    Actor system = Servers.system(server);
    String dest = new MigrationStore(db.sql()).find(migration.uuid()).map(Migration::destCompute).orElse(null);
    if (prepared != null) {
      prepared.boundPorts().forEach(portId -> network.bindings().delete(portId, dest));
      prepared.attachments().values().forEach(a -> servers.volumes().unreserve(system, a));
    } else {
      // An attempt that died (or failed) part way, perhaps in the post-migration: the server is
      // still shown on its source (the host changes in the commit that completes the migration),
      // so its ports' bindings there are made active again (bound anew where the post-migration
      // already deleted them) and its volumes attached there again, before what the attempt made
      // on the destination goes: the INACTIVE bindings there, and the volumes' attachments to
      // this server other than the ones the server uses.
      bindings.activate(server, server.host(), server.availabilityZone());
      servers.volumes().moveAttachments(server, server.host());
      if (dest != null && !dest.equals(server.host())) {
        bindings.dropInactive(server, dest);
      }
      servers.volumes().dropOtherAttachments(server);
    }
    fleet.release(migration.uuid());
    Instant now = now();
    // The migration's end and the server's way back to its status in one commit: a reader (or a
    // crash) never finds the migration over while the server still says MIGRATING.
    db.inTransaction(
        sql -> {
          MigrationStore store = new MigrationStore(sql);
          if (cancelled) {
            for (String from : List.of(Migration.CANCELLING, Migration.RUNNING, Migration.PREPARING, Migration.QUEUED)) {
              if (store.advance(migration.uuid(), from, Migration.CANCELLED, now)) {
                break;
              }
            }
          } else {
            store.fail(migration.uuid(), now);
          }
          new ServerStore(sql)
              .finishAction(server.id(), TASK_STATE, previousStatus, server.vmState(), server.powerState(), false, now);
          return null;
        });
  }

  private static JsonNode payload(Task task) {
    try {
      return JSON.readTree(task.payload());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable live migration task " + task.id(), e);
    }
  }

  private void giveUp(JsonNode payload, String error) {
    String uuid = payload.path("migration_uuid").asText();
    Migration migration = new MigrationStore(db.sql()).find(uuid).orElse(null);
    if (migration == null || migration.done()) {
      return;
    }
    Server server = servers.find(migration.serverId()).orElse(null);
    if (server == null) {
      new MigrationStore(db.sql()).fail(uuid, now());
      fleet.release(uuid);
      return;
    }
    rollBack(server, migration, payload.path("previous_status").asText(Server.ACTIVE), null, false);
  }

  /** The server's live migrations under way (what {@code GET /servers/{id}/migrations} lists). */
  public List<Migration> inProgress(Actor actor, String serverId) {
    requireAdmin(actor, "os_compute_api:servers:migrations:index");
    servers.visible(actor, serverId);
    return new MigrationStore(db.sql()).ofServer(serverId, Migration.LIVE_MIGRATION, Migration.LIVE_IN_PROGRESS);
  }

  public Migration inProgress(Actor actor, String serverId, long migrationId) {
    requireAdmin(actor, "os_compute_api:servers:migrations:show");
    servers.visible(actor, serverId);
    return new MigrationStore(db.sql())
        .find(serverId, migrationId)
        .filter(m -> m.type().equals(Migration.LIVE_MIGRATION) && Migration.LIVE_IN_PROGRESS.contains(m.status()))
        .orElseThrow(
            () -> ServiceException.notFound(
                "MigrationNotFoundForInstance",
                "Migration " + migrationId + " for instance " + serverId + " could not be found."));
  }

  /** Asks a running live migration to finish now (2.22); the simulated move just completes. */
  public void forceComplete(Actor actor, String serverId, long migrationId) {
    requireAdmin(actor, "os_compute_api:servers:migrations:force_complete");
    Server server = servers.visible(actor, serverId);
    Migration migration = liveMigration(serverId, migrationId);
    if (!migration.status().equals(Migration.RUNNING)) {
      throw ServiceException.invalid(
          "InvalidMigrationState",
          "Migration " + migrationId + " state of instance " + serverId + " is " + migration.status()
              + ". Cannot force_complete while the migration is in this state.");
    }
    Instant now = now();
    new InstanceActionStore(db.sql())
        .insert(serverId, InstanceAction.currentRequestId(ids), "live_migration_force_complete", server.projectId(), actor.userId(), now);
  }

  /**
   * Aborts a live migration under way (2.24; queued and preparing ones from 2.65): it is rolled
   * back and ends cancelled, the server staying on its source.
   */
  public void abort(Actor actor, String serverId, long migrationId, boolean queuedAllowed) {
    requireAdmin(actor, "os_compute_api:servers:migrations:delete");
    Server server = servers.visible(actor, serverId);
    Migration migration = liveMigration(serverId, migrationId);
    List<String> abortable =
        queuedAllowed ? List.of(Migration.QUEUED, Migration.PREPARING, Migration.RUNNING) : List.of(Migration.RUNNING);
    boolean marked = false;
    for (String from : abortable) {
      if (new MigrationStore(db.sql()).advance(migration.uuid(), from, Migration.CANCELLING, now())) {
        marked = true;
        break;
      }
    }
    if (!marked) {
      throw ServiceException.invalid(
          "InvalidMigrationState",
          "Migration " + migrationId + " state of instance " + serverId + " is " + migration.status()
              + ". Cannot abort live migration while the migration is in this state.");
    }
    new InstanceActionStore(db.sql())
        .insert(serverId, InstanceAction.currentRequestId(ids), "live_migration_delete", server.projectId(), actor.userId(), now());
  }

  private Migration liveMigration(String serverId, long migrationId) {
    return new MigrationStore(db.sql())
        .find(serverId, migrationId)
        .filter(m -> m.type().equals(Migration.LIVE_MIGRATION))
        .orElseThrow(
            () -> ServiceException.notFound(
                "MigrationNotFoundForInstance",
                "Migration " + migrationId + " for instance " + serverId + " could not be found."));
  }

  private static void requireAdmin(Actor actor, String policy) {
    if (!actor.admin()) {
      throw ServiceException.forbidden("PolicyNotAuthorized", "Policy doesn't allow " + policy + " to be performed.");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
