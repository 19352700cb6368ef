package dev.kiln.compute.actions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorDriver.RebootType;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.InstanceActionQuery;
import dev.kiln.compute.servers.Server.Fault;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's power actions on a server (stop, start, reboot, pause, unpause, suspend, resume) and
 * lock/unlock.
 *
 * <p>Each power action is checked as Nova's {@code nova/compute/api.py} checks it: a locked server
 * refuses non-admins ({@code @check_instance_lock}, 409 "Instance … is locked"), a server with no
 * host is not ready ({@code @check_instance_host}, 409), and the vm and task states must be the
 * ones the action's {@code @check_instance_state} allows (409 "Cannot 'stop' instance … while it
 * is in vm_state stopped"). The check ends in one conditional update on the (vm_state, task_state)
 * that was checked, which sets the action's task state, so of two racing actions only one wins and
 * the other gets the same 409. A durable {@code server.action} task then calls the driver and
 * moves the server to its new state (e.g. ACTIVE → task state powering-off → SHUTOFF), only if
 * the task state is still its own (a delete or a hard reboot may have taken over).
 *
 * <p>Why over 400 lines: the power actions (rescue and unrescue among them) share one check, one
 * conditional start and one task; lock, reset state, restore, console output and the action log
 * read the same server and are a few lines each.
 */
public final class ServerActions {
  static final String ACTION_TASK = "server.action";
  private static final Logger LOG = LoggerFactory.getLogger(ServerActions.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int RUNNING = Server.POWER_RUNNING;
  private static final int PAUSED = Server.POWER_PAUSED;
  private static final int SHUTDOWN = Server.POWER_SHUTDOWN;

  /** Nova's task_states.ALLOW_REBOOT: the task states a hard reboot may interrupt. */
  private static final Set<String> ALLOW_HARD_REBOOT_TASKS =
      Set.of(
          "rebooting", "reboot_pending", "reboot_started", "rebooting_hard", "reboot_pending_hard",
          "reboot_started_hard", "resuming", "unpausing", "pausing", "suspending");

  /**
   * A power action: its name in Nova's messages, the vm states it starts from, its task state, and
   * the state it ends in.
   */
  public enum Action {
    STOP("stop", List.of("active", "error"), "powering-off", Server.SHUTOFF, "stopped", SHUTDOWN),
    START("start", List.of("stopped"), "powering-on", Server.ACTIVE, "active", RUNNING),
    SOFT_REBOOT("reboot", List.of("active"), "rebooting", Server.ACTIVE, "active", RUNNING),
    HARD_REBOOT(
        "reboot", List.of("active", "stopped", "paused", "suspended", "error"), "rebooting_hard", Server.ACTIVE,
        "active", RUNNING),
    PAUSE("pause", List.of("active"), "pausing", Server.PAUSED, "paused", PAUSED),
    UNPAUSE("unpause", List.of("paused"), "unpausing", Server.ACTIVE, "active", RUNNING),
    // Nova's libvirt driver reports a suspended (managed-saved) guest as shut down.
    SUSPEND("suspend", List.of("active"), "suspending", Server.SUSPENDED, "suspended", SHUTDOWN),
    RESUME("resume", List.of("suspended"), "resuming", Server.ACTIVE, "active", RUNNING),
    // Nova's rescue and unrescue (nova/compute/api.py): a rescued guest runs from the rescue image.
    RESCUE("rescue", List.of("active", "stopped", "error"), "rescuing", Server.RESCUE, "rescued", RUNNING),
    UNRESCUE("unrescue", List.of("rescued"), "unrescuing", Server.ACTIVE, "active", RUNNING);

    final String novaName;
    final List<String> fromVmStates;
    final String taskState;
    final String status;
    final String vmState;
    final int powerState;

    Action(String novaName, List<String> fromVmStates, String taskState, String status, String vmState, int powerState) {
      this.novaName = novaName;
      this.fromVmStates = fromVmStates;
      this.taskState = taskState;
      this.status = status;
      this.vmState = vmState;
      this.powerState = powerState;
    }

    /** The status shown while the action runs: REBOOT and HARD_REBOOT for reboots, else the old one. */
    String statusWhileRunning(String current) {
      return switch (this) {
        case SOFT_REBOOT -> Server.REBOOT;
        case HARD_REBOOT -> Server.HARD_REBOOT;
        default -> current;
      };
    }

    boolean allowsTaskState(String taskState) {
      return taskState == null || (this == HARD_REBOOT && ALLOW_HARD_REBOOT_TASKS.contains(taskState));
    }
  }

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final HypervisorDriver driver;
  private final Servers servers;
  private final TaskRunner tasks;

  public ServerActions(
      Database db, Clock clock, IdGenerator ids, HypervisorDriver driver, Servers servers, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(ACTION_TASK, dev.kiln.tasks.TaskHandler.withGiveUp(this::perform, this::giveUp));
  }

  /** Checks and starts a power action; it finishes in a durable task. */
  public void start(Actor actor, String id, Action action) {
    start(actor, id, action, null);
  }

  /**
   * Checks and starts an action whose driver call needs an image (rescue: {@code imageId}, null
   * for the server's own); it finishes in a durable task.
   */
  void start(Actor actor, String id, Action action, String imageId) {
    for (int attempt = 0; ; attempt++) {
      Server server = servers.visible(actor, id);
      checkable(actor, server, action);
      Instant now = now();
      String requestId = InstanceAction.currentRequestId(ids);
      String payload =
          ActionTasks.payload(id, requestId)
              .put("action", action.name())
              .put("previous_status", server.status())
              .put("previous_vm_state", server.vmState())
              .put("previous_power_state", server.powerState())
              .put("image_id", imageId != null ? imageId : server.imageId())
              .toString();
      boolean begun =
          db.inTransaction(
              sql -> {
                if (!new ServerStore(sql)
                    .beginAction(
                        id, server.vmState(), server.taskState(), action.taskState,
                        action.statusWhileRunning(server.status()), now)) {
                  return false;
                }
                tasks.submit(sql, ACTION_TASK, payload, now, 3);
                new InstanceActionStore(sql)
                    .insert(id, requestId, action.novaName, server.projectId(), actor.userId(), now);
                return true;
              });
      if (begun) {
        tasks.wake();
        return;
      }
      // The state changed under us (another action or a delete won): check again.
      if (attempt >= 3) {
        Server current = servers.visible(actor, id);
        throw invalidState(action, id, "task_state", current.taskState());
      }
    }
  }

  /** Refuses the action as Nova does: a locked server, one on no host, a vm or task state it does not start from. */
  void checkable(Actor actor, Server server, Action action) {
    ServerChecks.requireUnlocked(actor, server);
    ServerChecks.requirePlaced(server);
    if (!action.fromVmStates.contains(server.vmState())) {
      throw invalidState(action, server.id(), "vm_state", server.vmState());
    }
    if (!action.allowsTaskState(server.taskState())) {
      throw invalidState(action, server.id(), "task_state", server.taskState());
    }
  }

  /** The {@code server.action} task: calls the driver and moves the server to its new state. */
  String perform(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String id = payload.path("server_id").asText();
    Action action = Action.valueOf(payload.path("action").asText());
    Server server = new ServerStore(db.sql()).find(id).orElse(null);
    if (server == null || !action.taskState.equals(server.taskState()) || server.host() == null) {
      return null; // deleted, taken over by a delete or a hard reboot, or an earlier attempt finished
    }
    InstanceRef ref = new InstanceRef(id, server.host());
    String requestId = payload.path("request_id").asText();
    String event = "compute_" + action.novaName + "_instance";
    new InstanceActionStore(db.sql()).startEvent(id, requestId, event, server.host(), now());
    try {
      switch (action) {
        case STOP -> driver.powerOff(ref);
        case START -> driver.powerOn(ref);
        case SOFT_REBOOT -> driver.reboot(ref, RebootType.SOFT);
        case HARD_REBOOT -> driver.reboot(ref, RebootType.HARD);
        case PAUSE -> driver.pause(ref);
        case UNPAUSE -> driver.unpause(ref);
        case SUSPEND -> driver.suspend(ref);
        case RESUME -> driver.resume(ref);
        case RESCUE -> driver.rescue(ref, payload.path("image_id").asText());
        case UNRESCUE -> driver.unrescue(ref);
      }
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to {}: {}", id, action.novaName, e.getMessage());
      new InstanceActionStore(db.sql()).finishEvent(id, requestId, event, e.getMessage(), now());
      if (action == Action.SOFT_REBOOT || action == Action.HARD_REBOOT || action == Action.RESCUE) {
        // As Nova's rescue_instance, which sets the instance's error state; and as reboot_instance:
        // a failed reboot whose guest is not known to be running puts
        // the server in ERROR with the fault (a simulated guest's state is unknown after a failure).
        new ServerStore(db.sql()).failAction(id, action.taskState, new Fault(500, e.getMessage(), null, now()), now());
      } else {
        // As Nova's @reverts_task_state on stop/start/pause/unpause/suspend/resume: the task state
        // is cleared and the server stays as it was (e.g. ACTIVE); Nova records the fault but
        // shows faults only in ERROR, so it is not kept here.
        new ServerStore(db.sql())
            .finishAction(
                id, action.taskState, payload.path("previous_status").asText(),
                payload.path("previous_vm_state").asText(), payload.path("previous_power_state").asInt(), false,
                now());
      }
      return null;
    }
    new ServerStore(db.sql())
        .finishAction(id, action.taskState, action.status, action.vmState, action.powerState, true, now());
    new InstanceActionStore(db.sql()).finishEvent(id, requestId, event, null, now());
    return null;
  }

  /**
   * The server's console log (Nova's {@code os-getConsoleOutput}): what a simulated guest printed
   * while it booted, its last {@code length} lines (all for null or -1). A server on no host yet
   * has none (409, as Nova's instance not ready).
   */
  public String consoleOutput(Actor actor, String id, Integer length) {
    Server server = servers.visible(actor, id);
    ServerChecks.requirePlaced(server);
    List<String> lines = new java.util.ArrayList<>();
    String launched = server.launchedAt() == null ? "" : server.launchedAt().toString();
    lines.add("[    0.000000] Linux version 6.1.0-kiln (kiln@" + server.host() + ") #1 SMP " + launched);
    lines.add("[    0.000000] Command line: console=ttyS0 root=/dev/vda1");
    lines.add("[    0.010000] Hypervisor detected: KVM (simulated by Kiln)");
    lines.add("[    0.120000] Memory: " + server.flavor().ramMb() + "M available, " + server.flavor().vcpus() + " vCPUs");
    lines.add("[    1.200000] EXT4-fs (vda1): mounted filesystem");
    lines.add("Starting network...");
    lines.add("cloud-init: instance-id " + id + ", local-hostname " + server.name());
    lines.add("=== system information ===");
    lines.add("Platform: OpenStack Nova (Kiln)");
    lines.add("Flavor: " + server.flavor().name());
    lines.add("=== datasource: OpenStack ===");
    lines.add(server.name() + " login: ");
    if (length != null && length >= 0) {
      lines = lines.subList(Math.max(0, lines.size() - length), lines.size());
    }
    return String.join("\n", lines);
  }

  /**
   * Nova's {@code os-resetState} (admins): the server is put in vm state {@code active} or {@code
   * error} (status ACTIVE or ERROR) and its task state is cleared, whatever it was doing; an
   * operator's way out of a stuck state. A delete under way keeps its task state.
   */
  public void resetState(Actor actor, String id, String state) {
    if (!actor.admin()) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized", "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed.");
    }
    servers.visible(actor, id);
    boolean error = state.equals("error");
    new ServerStore(db.sql()).resetState(id, error ? Server.ERROR : Server.ACTIVE, error ? "error" : "active", now());
  }

  /**
   * Nova's {@code restore} of a soft-deleted server. Kiln deletes at once, as Nova does with its
   * default {@code reclaim_instance_interval} of 0, so no server is ever SOFT_DELETED: a server
   * the actor sees is refused with Nova's 409 for its vm state, an unknown one is a 404.
   */
  public void restore(Actor actor, String id) {
    Server server = servers.visible(actor, id);
    ServerChecks.requireUnlocked(actor, server);
    throw ServerChecks.invalidState("restore", id, "vm_state", server.vmState());
  }

  /**
   * After the action's last attempt failed unexpectedly (not a driver fault, which the attempt
   * settles itself): the server leaves the action's task state as it was before, as Nova's
   * {@code @reverts_task_state} does, so it is never held for good.
   */
  void giveUp(Task task, String error) {
    try {
      JsonNode payload = JSON.readTree(task.payload());
      Action action = Action.valueOf(payload.path("action").asText());
      String id = payload.path("server_id").asText();
      new InstanceActionStore(db.sql())
          .finishEvent(id, payload.path("request_id").asText(), "compute_" + action.novaName + "_instance", error, now());
      new ServerStore(db.sql())
          .finishAction(
              id, action.taskState, payload.path("previous_status").asText(), payload.path("previous_vm_state").asText(),
              payload.path("previous_power_state").asInt(), false, now());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable action task " + task.id(), e);
    }
  }

  /**
   * Locks a server (any state, as Nova): only an admin or the project's members, who then are
   * refused the server's actions until it is unlocked; {@code reason} is 2.73's locked_reason.
   */
  public void lock(Actor actor, String id, String reason) {
    Server server = servers.visible(actor, id);
    Instant now = now();
    db.inTransaction(
        sql -> {
          new ServerStore(sql).lock(id, actor.admin() ? "admin" : "owner", reason, now);
          new InstanceActionStore(sql)
              .insert(id, InstanceAction.currentRequestId(ids), "lock", server.projectId(), actor.userId(), now);
          return null;
        });
  }

  /**
   * Unlocks a server; a server an admin locked is unlocked only by an admin (Nova's {@code
   * os-lock-server:unlock:unlock_override} policy, 403 otherwise).
   */
  public void unlock(Actor actor, String id) {
    Server server = servers.visible(actor, id);
    if (!actor.admin() && "admin".equals(new ServerStore(db.sql()).lockedBy(id))) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized",
          "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.");
    }
    Instant now = now();
    db.inTransaction(
        sql -> {
          new ServerStore(sql).unlock(id, now);
          new InstanceActionStore(sql)
              .insert(id, InstanceAction.currentRequestId(ids), "unlock", server.projectId(), actor.userId(), now);
          return null;
        });
  }

  /**
   * One page of the server's recorded actions, newest first. With {@code deletedToo} (Nova's 2.21)
   * a deleted server's actions are read as well: Kiln removes a deleted server but keeps its
   * action rows, so those say which project may read them.
   *
   * @throws ServiceException 404 InstanceNotFound for a server the actor cannot see, 400
   *     MarkerNotFound for a marker that is no action of the server
   */
  public InstanceActionQuery.Page actions(Actor actor, String id, boolean deletedToo, InstanceActionQuery query) {
    InstanceActionStore store = new InstanceActionStore(db.sql());
    readable(actor, id, deletedToo, store);
    InstanceAction after = null;
    if (query.marker() != null) {
      after =
          store.find(id, query.marker())
              .orElseThrow(
                  () -> ServiceException.invalid("MarkerNotFound", "Marker " + query.marker() + " could not be found."));
    }
    if (query.limit() != null && query.limit() == 0) {
      return new InstanceActionQuery.Page(List.of(), false);
    }
    // One more than asked for tells whether another page follows.
    Integer fetch = query.limit() == null ? null : query.limit() + 1;
    List<InstanceAction> found = store.list(id, after, query.changesSince(), query.changesBefore(), fetch);
    boolean more = query.limit() != null && found.size() > query.limit();
    return new InstanceActionQuery.Page(more ? found.subList(0, query.limit()) : found, more);
  }

  /** One recorded action of the server (of a deleted one too with {@code deletedToo}, 2.21). */
  public InstanceAction action(Actor actor, String id, String requestId, boolean deletedToo) {
    InstanceActionStore store = new InstanceActionStore(db.sql());
    readable(actor, id, deletedToo, store);
    return store
        .find(id, requestId)
        .orElseThrow(
            () -> ServiceException.notFound(
                "InstanceActionNotFound", "Action for request_id " + requestId + " on instance " + id + " not found"));
  }

  /**
   * Whether the actor may read the server's actions: it sees the server, or (deletedToo) the
   * server is gone and the actor is an admin or a member of the project its actions name.
   * Otherwise the server's own 404, so nobody learns of another project's servers.
   */
  private void readable(Actor actor, String id, boolean deletedToo, InstanceActionStore store) {
    try {
      servers.visible(actor, id);
    } catch (ServiceException e) {
      if (!deletedToo || e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      String project = store.projectOf(id).orElse(null);
      if (project == null || !actor.owns(project)) {
        throw e;
      }
    }
  }

  public List<InstanceAction.Event> events(InstanceAction action) {
    return new InstanceActionStore(db.sql()).events(action.serverId(), action.requestId());
  }

  private static ServiceException invalidState(Action action, String id, String attribute, String state) {
    return ServerChecks.invalidState(action.novaName, id, attribute, state);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
