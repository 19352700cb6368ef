package dev.kiln.compute.actions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorDriver.RebuildRequest;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Server.Fault;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.image.Image;
import dev.kiln.image.ImageService;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's rebuild: the server is rebuilt in place from an image, keeping its id, host, ports and
 * addresses.
 *
 * <p>Checked as Nova checks it (lock, host, vm state active, stopped or error with no task, the
 * image visible, active and fitting the flavor, the key pair the caller's); one conditional
 * update then sets task state {@code rebuilding} (status REBUILD) together with what the rebuild
 * changes (image, name, metadata, description, key, user data), as Nova's API saves these at
 * once. A durable {@code server.rebuild} task calls the driver; the server ends ACTIVE, or SHUTOFF
 * if it was stopped (Nova's rebuild keeps a stopped server stopped), or ERROR with the driver's
 * fault.
 */
public final class ServerRebuilds {
  public static final String REBUILD_TASK = "server.rebuild";
  private static final Logger LOG = LoggerFactory.getLogger(ServerRebuilds.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> REBUILDABLE_VM_STATES = List.of("active", "stopped", "error");
  private static final String REBUILDING = "rebuilding";
  private static final String REBUILD_SPAWNING = "rebuild_spawning";
  public static final String REBUILD = "REBUILD";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final HypervisorDriver driver;
  private final Keypairs keypairs;
  private final Servers servers;
  private final ImageService image;
  private final TaskRunner tasks;

  public ServerRebuilds(
      Database db,
      Clock clock,
      IdGenerator ids,
      HypervisorDriver driver,
      Keypairs keypairs,
      Servers servers,
      ImageService image,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.keypairs = requireNonNull(keypairs, "keypairs is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.image = requireNonNull(image, "image is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(REBUILD_TASK, TaskHandler.withGiveUp(this::perform, this::giveUp));
  }

  /** The rebuild could not finish: ERROR with why, rather than REBUILD for ever. */
  private void giveUp(Task task, String error) {
    try {
      String id = JSON.readTree(task.payload()).path("server_id").asText();
      Instant now = now();
      ServerStore store = new ServerStore(db.sql());
      if (!store.failAction(id, REBUILDING, new Fault(500, error, null, now), now)) {
        store.failAction(id, REBUILD_SPAWNING, new Fault(500, error, null, now), now);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      LOG.warn("Unreadable rebuild task {}: {}", task.id(), e.getMessage());
    }
  }

  /**
   * What a rebuild asks for; a null field is left as it is unless its {@code set…} flag says it is
   * given (then null clears it).
   *
   * @param metadata replaces all the server's metadata when not null
   */
  public record Spec(
      String imageRef,
      String name,
      Map<String, String> metadata,
      boolean setDescription,
      String description,
      boolean setKeyName,
      String keyName,
      boolean setUserData,
      String userData,
      boolean preserveEphemeral) {
    public Spec {
      requireNonNull(imageRef, "imageRef is null");
    }
  }

  /** Checks and starts a rebuild; answers the server as it is now (status REBUILD). */
  public Server rebuild(Actor actor, String id, Spec spec) {
    for (int attempt = 0; ; attempt++) {
      Server server = servers.visible(actor, id);
      ServerChecks.requireUnlocked(actor, server);
      ServerChecks.requirePlaced(server);
      if (!REBUILDABLE_VM_STATES.contains(server.vmState())) {
        throw ServerChecks.invalidState("rebuild", id, "vm_state", server.vmState());
      }
      if (server.taskState() != null) {
        throw ServerChecks.invalidState("rebuild", id, "task_state", server.taskState());
      }
      Image img = image(actor, spec.imageRef(), server);
      if (spec.setKeyName() && spec.keyName() != null
          && keypairs.find(actor.userId(), spec.keyName()).isEmpty()) {
        throw ServiceException.invalid("KeypairNotFound", "Invalid key_name provided.");
      }
      Instant now = now();
      String requestId = InstanceAction.currentRequestId(ids);
      String payload =
          ActionTasks.payload(id, requestId)
              .put("image_id", img.id())
              .put("previous_vm_state", server.vmState())
              .put("preserve_ephemeral", spec.preserveEphemeral())
              .toString();
      // The server as the rebuild leaves it now, read before the task can move it on.
      Server begun =
          db.inTransaction(
              sql -> {
                ServerStore store = new ServerStore(sql);
                if (!store.beginRebuild(
                    id, server.vmState(), REBUILDING, REBUILD, img.id(),
                    spec.name() != null ? spec.name() : server.name(),
                    spec.setDescription() ? spec.description() : server.description(),
                    spec.setKeyName() ? spec.keyName() : server.keyName(),
                    spec.setUserData() ? spec.userData() : server.userData(),
                    now)) {
                  return null;
                }
                if (spec.metadata() != null) {
                  store.replaceMetadata(id, spec.metadata());
                }
                tasks.submit(sql, REBUILD_TASK, payload, now, 3);
                new InstanceActionStore(sql).insert(id, requestId, "rebuild", server.projectId(), actor.userId(), now);
                return store.find(id).orElseThrow();
              });
      if (begun != null) {
        tasks.wake();
        return begun;
      }
      if (attempt >= 3) {
        throw ServerChecks.invalidState("rebuild", id, "task_state", servers.get(id).taskState());
      }
    }
  }

  /** The image to rebuild from, as Nova's rebuild checks it: 400 for every image problem. */
  private Image image(Actor actor, String imageRef, Server server) {
    Image img;
    try {
      img = image.images().visible(actor, imageRef);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      throw ServiceException.invalid("ImageNotFound", "Cannot find image for rebuild");
    }
    if (!img.bootable()) {
      throw ServiceException.invalid("ImageNotActive", "Image " + img.id() + " is not active.");
    }
    if (img.minRam() > server.flavor().ramMb()) {
      throw ServiceException.invalid("FlavorMemoryTooSmall", "Flavor's memory is too small for requested image.");
    }
    if (img.minDisk() > server.flavor().diskGb()) {
      throw ServiceException.invalid("FlavorDiskSmallerThanMinDisk", "Flavor's disk is too small for requested image.");
    }
    return img;
  }

  /** The {@code server.rebuild} task: the driver rebuilds, the server ends as it started, or in ERROR. */
  public String perform(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String id = payload.path("server_id").asText();
    String requestId = payload.path("request_id").asText();
    Server server = new ServerStore(db.sql()).find(id).orElse(null);
    if (server == null || server.host() == null || server.taskState() == null
        || !Set.of(REBUILDING, REBUILD_SPAWNING).contains(server.taskState())) {
      return null; // deleted, taken over by a delete, or an earlier attempt finished
    }
    if (server.taskState().equals(REBUILDING)
        && !new ServerStore(db.sql()).advanceTaskState(id, REBUILDING, REBUILD_SPAWNING, now())) {
      return null;
    }
    String event = "compute_rebuild_instance";
    InstanceActionStore events = new InstanceActionStore(db.sql());
    events.startEvent(id, requestId, event, server.host(), now());
    try {
      driver.rebuild(
          new RebuildRequest(
              new InstanceRef(id, server.host()), payload.path("image_id").asText(),
              payload.path("preserve_ephemeral").asBoolean()));
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to rebuild: {}", id, e.getMessage());
      Instant now = now();
      db.inTransaction(
          sql -> {
            new ServerStore(sql).failAction(id, REBUILD_SPAWNING, new Fault(500, e.getMessage(), null, now), now);
            new InstanceActionStore(sql).finishEvent(id, requestId, event, e.getMessage(), now);
            return null;
          });
      return null;
    }
    boolean stopped = "stopped".equals(payload.path("previous_vm_state").asText());
    Instant now = now();
    db.inTransaction(
        sql -> {
          new ServerStore(sql)
              .finishAction(
                  id, REBUILD_SPAWNING, stopped ? Server.SHUTOFF : Server.ACTIVE, stopped ? "stopped" : "active",
                  stopped ? Server.POWER_SHUTDOWN : Server.POWER_RUNNING, true, now);
          new InstanceActionStore(sql).finishEvent(id, requestId, event, null, now);
          return null;
        });
    return null;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
