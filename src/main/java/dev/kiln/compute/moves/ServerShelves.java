package dev.kiln.compute.moves;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.fleet.Scheduler;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.compute.servers.store.ShelveStore;
import dev.kiln.image.Image;
import dev.kiln.image.ImageService;
import dev.kiln.image.ImageStatus;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's shelve, shelveOffload and unshelve. A shelve powers the server off and saves its disk to a
 * private image named {@code <name>-shelved} (none for a volume-backed server), then, as Nova does
 * with {@code shelved_offload_time} 0 (its default, and Tempest's), offloads it at once: the guest
 * is destroyed on its host, the host's claim released and the host cleared; the server is
 * SHELVED_OFFLOADED, its ports and volumes still its own. Unshelve places it again through the
 * scheduler, binds its ports and moves its volumes' attachments to the new host, boots it from the
 * shelved image and deletes that image; a SHELVED server still on its host is just powered on.
 *
 * <p>States, as Nova's {@code nova/compute/api.py}: shelve from active, stopped, paused or
 * suspended; shelveOffload (admins, Nova's policy) from shelved; unshelve from shelved or
 * shelved_offloaded; never with a task under way, never a locked server for non-admins (409).
 *
 * <p>Each request ends in one conditional update of the (vm state, no task) it checked, which sets
 * the task state ({@code shelving}, {@code shelving_offloading}, {@code unshelving}) in the
 * transaction that records the instance action and a durable task; racing requests have one
 * winner. The task's steps follow the task state (shelving, shelving_image_pending_upload,
 * shelving_image_uploading, shelving_offloading) and each is safe to repeat (a held claim is
 * found again, releasing twice is harmless, an uploaded image is not uploaded again), so a node
 * killed mid-way leaves the task to another runner that finishes it.
 */
public final class ServerShelves {
  static final String SHELVE_TASK = "server.shelve";
  static final String UNSHELVE_TASK = "server.unshelve";
  private static final Logger LOG = LoggerFactory.getLogger(ServerShelves.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SHELVABLE = List.of("active", "stopped", "paused", "suspended");
  private static final List<String> UNSHELVABLE = List.of("shelved", "shelved_offloaded");
  private static final String SHELVING = "shelving";
  private static final String PENDING_UPLOAD = "shelving_image_pending_upload";
  private static final String UPLOADING = "shelving_image_uploading";
  private static final String OFFLOADING = "shelving_offloading";
  private static final String UNSHELVING = "unshelving";
  private static final Set<String> SHELVE_TASKS = Set.of(SHELVING, PENDING_UPLOAD, UPLOADING, OFFLOADING);

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Fleet fleet;
  private final Scheduler scheduler;
  private final HypervisorDriver driver;
  private final Servers servers;
  private final NetworkService network;
  private final MoveBindings bindings;
  private final ShelvedImages images;

  public ServerShelves(
      Database db, Clock clock, IdGenerator ids, Fleet fleet, HypervisorDriver driver, Servers servers,
      NetworkService network, ImageService image, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.scheduler = new Scheduler(db, fleet);
    this.driver = requireNonNull(driver, "driver is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.network = requireNonNull(network, "network is null");
    this.bindings = new MoveBindings(db, network);
    this.images = new ShelvedImages(requireNonNull(image, "image is null"));
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(SHELVE_TASK, TaskHandler.withGiveUp(this::shelveStep, this::giveUpShelve));
    tasks.register(UNSHELVE_TASK, TaskHandler.withGiveUp(this::unshelveStep, this::giveUpUnshelve));
  }

  private final TaskRunner tasks;

  /** Starts a shelve; with Nova's default offload time of 0 the server ends SHELVED_OFFLOADED. */
  public void shelve(Actor actor, String id) {
    Server server = servers.visible(actor, id);
    ServerChecks.requireReady(actor, server, "shelve", SHELVABLE);
    boolean volumeBacked = server.imageId() == null || server.imageId().isEmpty();
    String imageId = volumeBacked ? null : ids.uuid();
    if (imageId != null) {
      images.create(server, imageId); // Nova makes it (queued) before it answers
    }
    // A volume-backed server has no disk to save: Nova offloads it straight away.
    String task = volumeBacked ? OFFLOADING : SHELVING;
    ObjectNode payload = payload(id).put("previous_status", server.status()).put("previous_vm_state", server.vmState())
        .put("previous_power_state", server.powerState());
    if (imageId != null) {
      payload.put("image_id", imageId);
    }
    if (!begin(actor, server, task, "shelve", SHELVE_TASK, payload, imageId)) {
      images.delete(server, imageId);
      throw ServerChecks.invalidState("shelve", id, "task_state", servers.visible(actor, id).taskState());
    }
  }

  /** Offloads a SHELVED server (admins, as Nova's policy has it). */
  public void shelveOffload(Actor actor, String id) {
    if (!actor.admin()) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized", "Policy doesn't allow os_compute_api:os-shelve:shelve_offload to be performed.");
    }
    Server server = servers.visible(actor, id);
    ServerChecks.requireReady(actor, server, "shelveOffload", List.of("shelved"));
    ObjectNode payload = payload(id).put("previous_status", server.status()).put("previous_vm_state", server.vmState())
        .put("previous_power_state", server.powerState());
    if (!begin(actor, server, OFFLOADING, "shelveOffload", SHELVE_TASK, payload, null)) {
      throw ServerChecks.invalidState("shelveOffload", id, "task_state", servers.visible(actor, id).taskState());
    }
  }

  /** Starts an unshelve: placed again (if offloaded) and booted from the shelved image. */
  public void unshelve(Actor actor, String id) {
    Server server = servers.visible(actor, id);
    ServerChecks.requireUnlocked(actor, server);
    if (!UNSHELVABLE.contains(server.vmState())) {
      throw ServerChecks.invalidState("unshelve", id, "vm_state", server.vmState());
    }
    if (server.taskState() != null) {
      throw ServerChecks.invalidState("unshelve", id, "task_state", server.taskState());
    }
    ObjectNode payload = payload(id).put("previous_status", server.status()).put("previous_vm_state", server.vmState())
        .put("previous_power_state", server.powerState());
    if (!begin(actor, server, UNSHELVING, "unshelve", UNSHELVE_TASK, payload, null)) {
      throw ServerChecks.invalidState("unshelve", id, "task_state", servers.visible(actor, id).taskState());
    }
  }

  private ObjectNode payload(String id) {
    return JSON.createObjectNode().put("server_id", id).put("request_id", InstanceAction.currentRequestId(ids));
  }

  /**
   * The conditional update on the checked state, the instance action, the shelve record (when
   * {@code imageId} is given or the action is a shelve) and the task, in one commit.
   */
  private boolean begin(
      Actor actor, Server server, String taskState, String action, String taskKind, ObjectNode payload, String imageId) {
    Instant now = now();
    boolean begun =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql).beginAction(server.id(), server.vmState(), null, taskState, server.status(), now)) {
                return false;
              }
              if (action.equals("shelve")) {
                new ShelveStore(sql).put(server.id(), imageId, server.host(), now);
              }
              new InstanceActionStore(sql)
                  .insert(server.id(), payload.path("request_id").asText(), action, server.projectId(), actor.userId(), now);
              tasks.submit(sql, taskKind, payload.toString(), now, 3);
              return true;
            });
    if (begun) {
      tasks.wake();
    }
    return begun;
  }

  // The shelve task

  /** Moves a shelve on from the task state it finds; each step repeatable. */
  String shelveStep(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String id = payload.path("server_id").asText();
    String requestId = payload.path("request_id").asText();
    ServerStore store = new ServerStore(db.sql());
    Server server = store.find(id).orElse(null);
    if (server == null || !SHELVE_TASKS.contains(server.taskState())) {
      return null; // deleted, taken over by a delete, or an earlier attempt finished
    }
    String event = server.taskState().equals(OFFLOADING) ? "compute_shelve_offload_instance" : "compute_shelve_instance";
    new InstanceActionStore(db.sql()).startEvent(id, requestId, event, server.host(), now());
    try {
      if (!server.taskState().equals(OFFLOADING)) {
        save(server, payload.path("image_id").asText(null));
        server = store.find(id).orElse(null);
        if (server == null || !OFFLOADING.equals(server.taskState())) {
          return null;
        }
      }
      offload(server);
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to shelve: {}", id, e.getMessage());
      new InstanceActionStore(db.sql()).finishEvent(id, requestId, event, e.getMessage(), now());
      settleFailedShelve(id, payload);
      return null;
    }
    new InstanceActionStore(db.sql()).finishEvent(id, requestId, event, null, now());
    return null;
  }

  /** Powers off and saves the disk to the shelved image; the server is then SHELVED, offloading. */
  private void save(Server server, String imageId) {
    ServerStore store = new ServerStore(db.sql());
    InstanceRef ref = new InstanceRef(server.id(), server.host());
    if (server.taskState().equals(SHELVING)) {
      if (server.powerState() != Server.POWER_SHUTDOWN) {
        driver.powerOff(ref);
      }
      store.advanceTaskState(server.id(), SHELVING, PENDING_UPLOAD, now());
    }
    Optional<Image> made = imageId == null ? Optional.empty() : images.existing(server, imageId);
    if (store.advanceTaskState(server.id(), PENDING_UPLOAD, UPLOADING, now())
        && made.isPresent() && made.get().status() == ImageStatus.QUEUED) {
      driver.snapshot(ref);
    }
    if (made.isPresent() && made.get().status() == ImageStatus.QUEUED) {
      images.upload(server, made.get());
    }
    store.shelved(server.id(), UPLOADING, OFFLOADING, now());
  }

  /**
   * Destroys the guest on its host, releases the host's claim and clears the host. The ports stay
   * bound to the old host until unshelve binds them elsewhere, as Nova leaves them.
   */
  private void offload(Server server) {
    if (server.host() != null) {
      driver.destroy(new InstanceRef(server.id(), server.host()));
    }
    fleet.release(server.id());
    new ServerStore(db.sql()).offloaded(server.id(), now());
  }

  /** A shelve the driver refused: the server is as it was before (Nova reverts the task state). */
  private void settleFailedShelve(String id, JsonNode payload) {
    ServerStore store = new ServerStore(db.sql());
    Server server = store.find(id).orElse(null);
    if (server == null || !SHELVE_TASKS.contains(server.taskState())) {
      return;
    }
    if (server.vmState().equals("shelved")) {
      store.shelved(id, server.taskState(), null, now()); // saved, not offloaded: SHELVED
      return;
    }
    store.finishAction(
        id, server.taskState(), payload.path("previous_status").asText(), payload.path("previous_vm_state").asText(),
        payload.path("previous_power_state").asInt(), false, now());
    images.delete(server, payload.path("image_id").asText(null));
    db.inTransaction(sql -> {
      new ShelveStore(sql).delete(id);
      return null;
    });
  }

  private void giveUpShelve(Task task, String error) {
    try {
      JsonNode payload = JSON.readTree(task.payload());
      String id = payload.path("server_id").asText();
      new InstanceActionStore(db.sql()).finishEvent(id, payload.path("request_id").asText(), "compute_shelve_instance", error, now());
      settleFailedShelve(id, payload);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable shelve task " + task.id(), e);
    }
  }

  // The unshelve task

  String unshelveStep(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String id = payload.path("server_id").asText();
    String requestId = payload.path("request_id").asText();
    ServerStore store = new ServerStore(db.sql());
    Server server = store.find(id).orElse(null);
    if (server == null || !UNSHELVING.equals(server.taskState())) {
      return null;
    }
    String event = "compute_unshelve_instance";
    try {
      if (server.vmState().equals("shelved") && server.host() != null) {
        new InstanceActionStore(db.sql()).startEvent(id, requestId, event, server.host(), now());
        driver.powerOn(new InstanceRef(id, server.host()));
      } else {
        Resources resources = server.flavor().resources(server.imageId() == null);
        Optional<Hypervisor> placed = scheduler.selectAndClaim(Scheduler.Request.boot(id, resources, null));
        if (placed.isEmpty()) {
          new InstanceActionStore(db.sql())
              .insertFinishedEvent(id, requestId, "schedule_instances", null, Scheduler.NO_VALID_HOST, now());
          revertUnshelve(id, payload);
          return null;
        }
        String host = placed.get().hostname();
        new InstanceActionStore(db.sql()).startEvent(id, requestId, event, host, now());
        store.setHost(id, host, placed.get().availabilityZone(), now());
        server = store.find(id).orElseThrow(() -> Servers.notFound(id));
        Server current = server;
        for (PluggedPort p : current.ports()) {
          servers.whileNotDeleting(
              id, sql -> network.ports().plug(p.portId(), id, "compute:" + placed.get().availabilityZone(), host));
        }
        servers.volumes().moveAttachments(current, host);
        String bootImage = new ShelveStore(db.sql()).find(id).map(ShelveStore.Shelved::imageId).orElse(current.imageId());
        driver.spawn(
            new HypervisorDriver.SpawnRequest(
                new InstanceRef(id, host), current.name(), resources, bootImage,
                current.ports().stream().map(PluggedPort::portId).toList(),
                servers.blockDevices(id).stream().map(BlockDevice::volumeId).toList()));
      }
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to unshelve: {}", id, e.getMessage());
      new InstanceActionStore(db.sql()).finishEvent(id, requestId, event, e.getMessage(), now());
      revertUnshelve(id, payload);
      return null;
    }
    // Nova deletes the shelved image once the guest runs again, before the server shows ACTIVE, so
    // whoever waits for ACTIVE finds the image gone.
    Server running = server;
    new ShelveStore(db.sql()).find(id).ifPresent(s -> images.delete(running, s.imageId()));
    if (store.finishAction(id, UNSHELVING, Server.ACTIVE, "active", Server.POWER_RUNNING, false, now())) {
      new InstanceActionStore(db.sql()).finishEvent(id, requestId, event, null, now());
      new ShelveStore(db.sql()).delete(id);
    }
    return null;
  }

  /**
   * An unshelve that could not place or boot the server: back off any host it got (claim
   * released), in the state it had (Nova leaves it SHELVED_OFFLOADED).
   */
  private void revertUnshelve(String id, JsonNode payload) {
    ServerStore store = new ServerStore(db.sql());
    Server server = store.find(id).orElse(null);
    if (server == null || !UNSHELVING.equals(server.taskState())) {
      return;
    }
    String previousVmState = payload.path("previous_vm_state").asText();
    if (previousVmState.equals("shelved_offloaded") && server.host() != null) {
      driver.destroy(new InstanceRef(id, server.host()));
      fleet.release(id);
      if (store.advanceTaskState(id, UNSHELVING, OFFLOADING, now())) {
        store.offloaded(id, now());
      }
      return;
    }
    if (previousVmState.equals("shelved_offloaded")) {
      fleet.release(id);
    }
    store.finishAction(
        id, UNSHELVING, payload.path("previous_status").asText(), previousVmState,
        payload.path("previous_power_state").asInt(), false, now());
  }

  private void giveUpUnshelve(Task task, String error) {
    try {
      JsonNode payload = JSON.readTree(task.payload());
      String id = payload.path("server_id").asText();
      new InstanceActionStore(db.sql())
          .finishEvent(id, payload.path("request_id").asText(), "compute_unshelve_instance", error, now());
      revertUnshelve(id, payload);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable unshelve task " + task.id(), e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
