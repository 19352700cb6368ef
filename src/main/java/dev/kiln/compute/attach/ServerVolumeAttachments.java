package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorDriver.VolumeRequest;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.ServerVolumes;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Volume;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes attached to a running server ({@code os-volume_attachments}), the way Nova does it
 * with Block Storage's attachments API. Attach: the request reserves the volume (an attachment
 * with no connector) and a device name, and answers; a durable task then gives Block Storage the
 * host's connector, has the driver connect the volume, and completes the attachment. Detach: the
 * request begins detaching; the task has the driver disconnect and deletes the attachment. Swap
 * (admin): the new volume is reserved and connected, the old one disconnected and its attachment
 * deleted. Any step that fails is rolled back so that no attachment is orphaned and no volume is
 * left attaching or detaching.
 *
 * <p>Why over 400 lines: attach, detach and swap are three paths through one reserve, connect,
 * complete protocol with Block Storage, each rollback written next to its step.
 */
public final class ServerVolumeAttachments {
  static final String ATTACH_TASK = "server.volume.attach";
  static final String DETACH_TASK = "server.volume.detach";
  static final String SWAP_TASK = "server.volume.swap";
  private static final Logger LOG = LoggerFactory.getLogger(ServerVolumeAttachments.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Nova's attach_volume and detach_volume check: these vm states, no task under way. */
  private static final List<String> ALLOWED_VM_STATES =
      List.of("active", "paused", "stopped", "suspended", "resized", "shelved", "shelved_offloaded");
  private static final String OFFLOADED = "shelved_offloaded";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final HypervisorDriver driver;
  private final Servers servers;
  private final ServerVolumes volumes;
  private final TaskRunner tasks;

  public ServerVolumeAttachments(
      Database db, Clock clock, IdGenerator ids, HypervisorDriver driver, Servers servers, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.volumes = servers.volumes();
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(ATTACH_TASK, handler(this::finishAttach, this::giveUpAttach));
    tasks.register(DETACH_TASK, handler(this::finishDetach, this::giveUpDetach));
    tasks.register(SWAP_TASK, handler(this::finishSwap, (task, error) -> {}));
  }

  /** How long an attach's guard waits before it takes back an attach whose request died. */
  private static final java.time.Duration GUARD = java.time.Duration.ofSeconds(30);

  private interface Step {
    void run(JsonNode payload) throws Exception;
  }

  private interface GiveUp {
    void run(JsonNode payload, String error) throws Exception;
  }

  /** A task handler over the task's JSON payload; a failed give-up step is logged by the runner. */
  private static TaskHandler handler(Step step, GiveUp giveUp) {
    return TaskHandler.withGiveUp(
        task -> {
          step.run(JSON.readTree(task.payload()));
          return null;
        },
        (task, error) -> {
          try {
            giveUp.run(JSON.readTree(task.payload()), error);
          } catch (Exception e) {
            LOG.warn("Could not settle {} after it gave up: {}", task.kind(), e.getMessage());
          }
        });
  }

  /** The server's volumes, boot volume first. */
  public List<BlockDevice> list(Actor actor, String serverId) {
    servers.visible(actor, serverId);
    return servers.blockDevices(serverId).stream().filter(d -> d.volumeId() != null).toList();
  }

  public BlockDevice show(Actor actor, String serverId, String volumeId) {
    servers.visible(actor, serverId);
    return mapping(serverId, volumeId);
  }

  /**
   * Attaches a volume: reserves it and a device now, connects it in a task.
   *
   * @param device the device asked for ({@code /dev/vdb}), or null to take the next free one
   * @param multiattachAllowed whether the request's microversion (2.60) allows multiattach volumes
   */
  public BlockDevice attach(
      Actor actor, String serverId, String volumeId, String device, String tag, boolean deleteOnTermination,
      boolean multiattachAllowed) {
    Server server = servers.visible(actor, serverId);
    requireReady(actor, server, "attach_volume");
    Volume volume = volumes.visible(actor, volumeId);
    if (volume.multiattach() && !multiattachAllowed) {
      throw ServiceException.invalid(
          "MultiattachNotSupportedOldMicroversion",
          "Multiattach volumes are only supported starting with compute API version 2.60.");
    }
    if (new BlockDeviceStore(db.sql()).ofServerAndVolume(serverId, volumeId).isPresent()) {
      throw alreadyAttached(volumeId);
    }
    String requestId = InstanceAction.currentRequestId(ids);
    // The intent first: the mapping, with a guard task that takes it back should this node die
    // before the attach is under way (it finds the mapping still without its attachment).
    BlockDevice intent = insertMapping(server, volumeId, null, device, tag, deleteOnTermination, requestId);
    BlockDevice reserved;
    try {
      // Then, in one commit under the server's row (refused once a delete has begun): Block
      // Storage's reservation, recorded on the mapping, with the action and the attach task. A
      // kill before it leaves no reservation; after it, the task and any delete find it.
      Instant now = now();
      reserved =
          db.inTransactionJoinedByNestedWork(
              sql -> {
                volumes.reserveRecorded(actor, intent.id(), serverId, volumeId);
                new InstanceActionStore(sql).insert(serverId, requestId, "attach_volume", server.projectId(), actor.userId(), now);
                tasks.submit(sql, ATTACH_TASK, payload(serverId, intent.id(), volumeId, requestId), now, 3);
                // Read before the commit: once committed, a worker may run the task at once, and
                // an attach the hypervisor refuses deletes the mapping before this could read it.
                return new BlockDeviceStore(sql).find(intent.id()).orElseThrow(() -> Servers.notFound(serverId));
              });
    } catch (RuntimeException e) {
      new BlockDeviceStore(db.sql()).deleteUnreserved(intent.id());
      throw e;
    }
    tasks.wake();
    return reserved;
  }

  /**
   * Nova's checks for attach and detach. A shelved-offloaded server is on no host and still takes
   * volumes, as in Nova: Block Storage's attachment is made and completed without a connection, and
   * unshelve connects it on the server's new host.
   */
  private static void requireReady(Actor actor, Server server, String action) {
    if (!OFFLOADED.equals(server.vmState())) {
      ServerChecks.requireReady(actor, server, action, ALLOWED_VM_STATES);
      return;
    }
    ServerChecks.requireUnlocked(actor, server);
    if (server.taskState() != null) {
      throw ServerChecks.invalidState(action, server.id(), "task_state", server.taskState());
    }
  }

  /**
   * Records the mapping on the device asked for or the next free one, with the attach's guard task
   * (due after {@link #GUARD}); a race for a device retries.
   */
  private BlockDevice insertMapping(
      Server server, String volumeId, String attachmentId, String requested, String tag, boolean deleteOnTermination,
      String requestId) {
    for (int attempt = 0; ; attempt++) {
      String device = requested != null ? requested : nextDevice(server);
      BlockDevice mapping =
          new BlockDevice(
              ids.uuid(), server.id(), null, BlockDevice.Source.VOLUME, volumeId, volumeId, null, null, device,
              deleteOnTermination, tag, attachmentId, BlockDevice.State.ATTACHING, now());
      try {
        db.inTransaction(
            sql -> {
              new BlockDeviceStore(sql).insert(mapping);
              tasks.submit(sql, ATTACH_TASK, payload(server.id(), mapping.id(), volumeId, requestId), now().plus(GUARD), 3);
              return null;
            });
        return mapping;
      } catch (StoreException e) {
        if (e.kind() != StoreException.Kind.DUPLICATE) {
          throw e;
        }
        if (new BlockDeviceStore(db.sql()).ofServerAndVolume(server.id(), volumeId).isPresent()) {
          throw alreadyAttached(volumeId); // another request attached it to this server first
        }
        if (requested != null || attempt >= 5) {
          throw ServiceException.invalid(
              "InvalidDevicePath", "The supplied device path (" + device + ") is in use.");
        }
      }
    }
  }

  /** The first /dev/vdX the server does not use; an image-booted server's root disk is /dev/vda. */
  private String nextDevice(Server server) {
    Set<String> used = new HashSet<>();
    servers.blockDevices(server.id()).forEach(d -> used.add(d.deviceName()));
    if (server.imageId() != null) {
      used.add("/dev/vda");
    }
    for (char c = 'a'; c <= 'z'; c++) {
      if (!used.contains("/dev/vd" + c)) {
        return "/dev/vd" + c;
      }
    }
    throw ServiceException.invalid("TooManyDiskDevices", "The maximum allowed number of disk devices (26) to attach to a single instance has been exceeded.");
  }

  /**
   * The attach task (and, due later, its guard): connector to Block Storage, the driver connects,
   * the attachment completes.
   */
  void finishAttach(JsonNode payload) {
    BlockDevice mapping = new BlockDeviceStore(db.sql()).find(payload.path("device_id").asText()).orElse(null);
    Server server = new ServerStore(db.sql()).findRow(payload.path("server_id").asText()).orElse(null);
    if (server == null) {
      releaseForGoneServer(payload, mapping);
      return;
    }
    if (mapping == null || mapping.state() != BlockDevice.State.ATTACHING) {
      return; // detached, or an earlier attempt finished
    }
    if (mapping.attachmentId() == null) {
      abandonUnreserved(server, mapping);
      return;
    }
    String requestId = payload.path("request_id").asText();
    String event = "compute_attach_volume";
    Instant started = now();
    Actor owner = owner(server);
    try {
      // Shelved offloaded: the volume is the server's (in-use) and gets connected at unshelve.
      boolean completes = server.host() == null || connect(owner, server, mapping);
      // Block Storage's completion, the mapping's new state and the action's event in one commit:
      // a volume that shows in-use is attached on Compute's side too (a move asked for as soon as
      // the volume was in-use found the mapping still attaching, and was refused), and the event
      // is written once the attach is done, with the time it started. The mapping's transition
      // comes first: when another run of this task (a lease that ran out under this one) has
      // finished the attach meanwhile, this run changes nothing and records nothing.
      db.inTransactionJoinedByNestedWork(
          sql -> {
            if (!new BlockDeviceStore(sql).transition(mapping.id(), BlockDevice.State.ATTACHING, BlockDevice.State.ATTACHED)) {
              return null;
            }
            if (completes) {
              volumes.completeAttachment(owner, mapping.attachmentId());
            }
            new InstanceActionStore(sql).insertFinishedEvent(server.id(), requestId, event, server.host(), null, started, now());
            return null;
          });
    } catch (HypervisorException | ServiceException e) {
      LOG.info("Volume {} failed to attach to server {}: {}", mapping.volumeId(), server.id(), e.getMessage());
      rollBackAttach(server, mapping);
      recordEvent(server, requestId, event, started, e.getMessage());
    }
  }

  /**
   * Gives Block Storage the host's connector and has the driver connect the volume; false when
   * Block Storage holds the attachment complete already (an earlier attempt got that far).
   */
  private boolean connect(Actor owner, Server server, BlockDevice mapping) {
    if (!volumes.connectAttachment(owner, mapping.attachmentId(), server.host(), mapping.deviceName())) {
      return false;
    }
    driver.attachVolume(new VolumeRequest(new InstanceRef(server.id(), server.host()), mapping.volumeId(), mapping.deviceName()));
    return true;
  }

  private void recordEvent(Server server, String requestId, String event, Instant started, String error) {
    new InstanceActionStore(db.sql()).insertFinishedEvent(server.id(), requestId, event, server.host(), error, started, now());
  }

  /**
   * The attach task's give-up (its last attempt failed, or its node died on it): the attach is
   * undone, whatever step it stopped at.
   */
  void giveUpAttach(JsonNode payload, String error) {
    BlockDevice mapping = new BlockDeviceStore(db.sql()).find(payload.path("device_id").asText()).orElse(null);
    Server server = servers.find(payload.path("server_id").asText()).orElse(null);
    if (server == null) {
      releaseForGoneServer(payload, mapping);
    } else if (mapping != null && mapping.state() == BlockDevice.State.ATTACHING) {
      if (mapping.attachmentId() == null) {
        abandonUnreserved(server, mapping);
      } else {
        rollBackAttach(server, mapping);
      }
    }
  }

  /**
   * An attach whose mapping never got its reservation recorded (the request's node died before
   * that commit): the mapping goes, and so does any attachment of the volume to the server, left
   * by a run from before a reservation and its record were one commit.
   */
  private void abandonUnreserved(Server server, BlockDevice mapping) {
    if (new BlockDeviceStore(db.sql()).deleteUnreserved(mapping.id())) {
      volumes.releaseAttachmentsOf(Servers.system(server), mapping.volumeId(), server.id(), null);
    }
  }

  /**
   * The server is gone: every attachment of the attach's volume to it goes too. Its delete gave
   * back what its mappings named; this closes a reservation that outlived it all the same (one
   * made by a run from before a reservation and its record were one commit).
   */
  private void releaseForGoneServer(JsonNode payload, BlockDevice mapping) {
    String volumeId = mapping != null ? mapping.volumeId() : payload.path("volume_id").asText("");
    if (volumeId != null && !volumeId.isEmpty()) {
      volumes.releaseAttachmentsOf(new Actor(null, null, true), volumeId, payload.path("server_id").asText(), null);
    }
  }

  /** As Nova's attach cleanup: the attachment is deleted (the volume is available again) and the mapping goes. */
  private void rollBackAttach(Server server, BlockDevice mapping) {
    volumes.unreserve(Servers.system(server), mapping.attachmentId());
    new BlockDeviceStore(db.sql()).delete(mapping.id());
  }

  /** Detaches a volume: begins detaching now, disconnects it in a task. A boot volume stays. */
  public void detach(Actor actor, String serverId, String volumeId) {
    Server server = servers.visible(actor, serverId);
    BlockDevice mapping = mapping(serverId, volumeId);
    if (mapping.isBoot()) {
      throw ServiceException.invalid("badRequest", "Cannot detach a root device volume");
    }
    requireReady(actor, server, "detach_volume");
    String requestId = InstanceAction.currentRequestId(ids);
    Instant now = now();
    String payload =
        JSON.createObjectNode()
            .put("server_id", serverId).put("device_id", mapping.id()).put("request_id", requestId)
            .put("attachment_id", mapping.attachmentId()).toString();
    // Block Storage's detaching, the mapping's, the action and the task in one commit, so the
    // task never starts before the request is done with the volume. Begun in two commits, the
    // task could find the volume still in-use and begin the detach itself while the request's
    // own begin waited and was refused; about once in 2,000 such cycles the volume's row then
    // went back to what it was before the task's last commit, and stayed detaching with no
    // attachment left (README, "December 6: a detach that raced its own task").
    if (!beginDetach(server, mapping, sql -> {
      beginDetaching(actor, volumeId);
      new InstanceActionStore(sql).insert(serverId, requestId, "detach_volume", server.projectId(), actor.userId(), now);
      tasks.submit(sql, DETACH_TASK, payload, now, 3);
    })) {
      throw ServiceException.invalid(
          "InvalidVolume", "Invalid volume: volume " + volumeId + " is " + describe(mapping) + ", not attached.");
    }
    tasks.wake();
  }

  /**
   * Block Storage's os-begin_detaching for a detach through Compute. A multiattach volume another
   * server is detaching already stays detaching: this detach goes on (its task finds the volume
   * detaching and lets go of this server's attachment only).
   */
  private void beginDetaching(Actor actor, String volumeId) {
    try {
      volumes.beginDetaching(actor, volumeId);
    } catch (ServiceException e) {
      Volume volume = volumes.visible(actor, volumeId);
      if (!(volume.multiattach() && volume.status().equals(Volume.Status.DETACHING))) {
        throw e;
      }
    }
  }

  /**
   * Marks the mapping detaching. The attach task completes the Block Storage attachment (the
   * volume shows in-use) a moment before it marks the mapping attached; a client that saw in-use
   * and detached at once must not be refused in between, so a mapping still attaching whose
   * attachment is already complete counts as attached (the attach task then leaves it alone).
   */
  private boolean beginDetach(Server server, BlockDevice mapping, java.util.function.Consumer<dev.kiln.store.Sql> alongside) {
    if (transition(mapping, BlockDevice.State.ATTACHED, alongside)) {
      return true;
    }
    if (mapping.state() == BlockDevice.State.ATTACHING
        && volumes.attachmentComplete(Servers.system(server), mapping.attachmentId())
        && transition(mapping, BlockDevice.State.ATTACHING, alongside)) {
      return true;
    }
    // The attach task may have marked the mapping attached in between.
    return transition(mapping, BlockDevice.State.ATTACHED, alongside);
  }

  /**
   * Marks the mapping detaching from {@code from}, with what goes {@code alongside}, in one commit
   * that the work {@code alongside} calls joins (Block Storage's writes among it).
   */
  private boolean transition(BlockDevice mapping, BlockDevice.State from, java.util.function.Consumer<dev.kiln.store.Sql> alongside) {
    return db.inTransactionJoinedByNestedWork(
        sql -> {
          if (!new BlockDeviceStore(sql).transition(mapping.id(), from, BlockDevice.State.DETACHING)) {
            return false;
          }
          alongside.accept(sql);
          return true;
        });
  }

  /**
   * The detach task: the driver disconnects, then the attachment and the mapping are deleted in
   * one commit, so a client that sees the volume available can attach it to the same server again
   * at once, and one that no longer sees it on the server finds it detached in Block Storage.
   */
  void finishDetach(JsonNode payload) {
    BlockDevice mapping = new BlockDeviceStore(db.sql()).find(payload.path("device_id").asText()).orElse(null);
    Server server = new ServerStore(db.sql()).findRow(payload.path("server_id").asText()).orElse(null);
    if (mapping == null) {
      // An earlier attempt deleted the mapping and stopped before Block Storage let go of the
      // volume (or the server's delete took both): deleting the attachment again is harmless.
      String attachmentId = payload.path("attachment_id").asText("");
      if (!attachmentId.isEmpty()) {
        volumes.unreserve(new Actor(null, null, true), attachmentId);
      }
      return;
    }
    if (server == null || mapping.state() != BlockDevice.State.DETACHING) {
      if (server != null && mapping.state() == BlockDevice.State.ATTACHED) {
        // An earlier attempt put the mapping back (a failed disconnect) and stopped before Block
        // Storage's detaching was rolled back too (see rollBackDetach); a no-op otherwise.
        volumes.rollDetaching(Servers.system(server), mapping.volumeId());
      }
      return;
    }
    String requestId = payload.path("request_id").asText();
    String event = "compute_detach_volume";
    Instant started = now();
    try {
      Volume volume = volumes.visible(Servers.system(server), mapping.volumeId());
      if (volume.status().equals(Volume.Status.IN_USE) && !volume.multiattach()) {
        // Queued by a version whose request began Block Storage's detach in a second commit, and
        // died before it: the request now begins it with the task, in one commit.
        volumes.beginDetaching(Servers.system(server), mapping.volumeId());
      }
      if (server.host() != null) { // a shelved-offloaded server has no guest to take it from
        driver.detachVolume(
            new VolumeRequest(new InstanceRef(server.id(), server.host()), mapping.volumeId(), mapping.deviceName()));
      }
    } catch (HypervisorException e) {
      LOG.info("Volume {} failed to detach from server {}: {}", mapping.volumeId(), server.id(), e.getMessage());
      rollBackDetach(server, mapping);
      recordEvent(server, requestId, event, started, e.getMessage());
      return;
    }
    // As Nova, Block Storage lets go of the attachment before the mapping is destroyed, and here
    // in the same commit (its writes join this transaction): nobody sees the volume gone from the
    // server while it is still detaching (Tempest's cleanup then skipped the detach it still had
    // to make), nor the volume available while the server still maps it (an attach of it again
    // would be refused as already attached).
    db.inTransactionJoinedByNestedWork(
        sql -> {
          volumes.release(Servers.system(server), mapping, false);
          new BlockDeviceStore(sql).delete(mapping.id());
          new InstanceActionStore(sql).insertFinishedEvent(server.id(), requestId, event, server.host(), null, started, now());
          return null;
        });
  }

  private void giveUpDetach(JsonNode payload, String error) {
    BlockDevice mapping = new BlockDeviceStore(db.sql()).find(payload.path("device_id").asText()).orElse(null);
    Server server = servers.find(payload.path("server_id").asText()).orElse(null);
    if (mapping != null && server != null && mapping.state() == BlockDevice.State.DETACHING) {
      rollBackDetach(server, mapping);
    }
  }

  /** The volume stays attached: in-use again in Block Storage, attached in the mapping. */
  private void rollBackDetach(Server server, BlockDevice mapping) {
    // The mapping first: killed between the two steps, the task's next attempt finds the mapping
    // attached and rolls Block Storage's detaching back (see finishDetach); a detach asked for in
    // between is refused by Block Storage (still detaching) and can be asked again.
    new BlockDeviceStore(db.sql()).transition(mapping.id(), BlockDevice.State.DETACHING, BlockDevice.State.ATTACHED);
    volumes.rollDetaching(Servers.system(server), mapping.volumeId());
  }

  /**
   * Swaps an attached volume for another (admin): the new one is reserved now; a task connects
   * it, disconnects the old one, and moves the mapping to the new volume.
   */
  public void swap(Actor actor, String serverId, String oldVolumeId, String newVolumeId) {
    Server server = servers.visible(actor, serverId);
    BlockDevice mapping = mapping(serverId, oldVolumeId);
    ServerChecks.requireReady(actor, server, "swap_volume", ALLOWED_VM_STATES);
    Volume replacement = swapTarget(actor, newVolumeId);
    if (!replacement.status().equals(Volume.Status.AVAILABLE)) {
      throw ServiceException.invalid(
          "InvalidVolume", "Invalid volume: volume " + newVolumeId + " must be available to swap in, it is " + replacement.status() + ".");
    }
    // As a detach: a volume the client saw in-use counts as attached, even in the moment before
    // the attach task marks its mapping attached.
    if (!beginDetach(server, mapping, sql -> {})) {
      throw ServiceException.invalid("InvalidVolume", "Invalid volume: volume " + oldVolumeId + " is " + describe(mapping) + ".");
    }
    String requestId = InstanceAction.currentRequestId(ids);
    Instant now = now();
    try {
      refuseSharedWriters(actor, oldVolumeId);
      // The new volume's reservation commits with the task that uses or gives it back: a kill
      // in between cannot leave it reserved for the server with nothing to settle it.
      db.inTransactionJoinedByNestedWork(
          sql -> {
            String newAttachment = volumes.reserve(actor, newVolumeId, serverId);
            String payload =
                JSON.createObjectNode()
                    .put("server_id", serverId).put("device_id", mapping.id()).put("request_id", requestId)
                    .put("new_volume_id", newVolumeId).put("new_attachment_id", newAttachment)
                    .put("old_attachment_id", mapping.attachmentId()).toString();
            new InstanceActionStore(sql).insert(serverId, requestId, "swap_volume", server.projectId(), actor.userId(), now);
            return tasks.submit(sql, SWAP_TASK, payload, now, 3);
          });
    } catch (RuntimeException e) {
      new BlockDeviceStore(db.sql()).transition(mapping.id(), BlockDevice.State.DETACHING, BlockDevice.State.ATTACHED);
      throw e;
    }
    tasks.wake();
  }

  /**
   * The volume to swap in. It is named in the request's body, not its path, so a volume that does
   * not exist is bad input (400), as Nova answers, not a missing resource (404).
   */
  private Volume swapTarget(Actor actor, String newVolumeId) {
    try {
      return volumes.visible(actor, newVolumeId);
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        throw ServiceException.invalid("VolumeNotFound", e.getMessage());
      }
      throw e;
    }
  }

  /**
   * Nova will not swap a multiattach volume that more than one attachment writes to: the other
   * writers would keep using the old volume. Counted after the mapping turned detaching, so no
   * attach made meanwhile is missed.
   */
  private void refuseSharedWriters(Actor actor, String oldVolumeId) {
    Volume old = volumes.visible(actor, oldVolumeId);
    if (old.multiattach() && old.attachments().stream().filter(a -> "rw".equals(a.attachMode())).count() > 1) {
      throw ServiceException.invalid(
          "MultiattachSwapVolumeNotSupported",
          "Swapping multi-attach volumes with more than one read/write attachment is not supported.");
    }
  }

  void finishSwap(JsonNode payload) {
    BlockDevice mapping = new BlockDeviceStore(db.sql()).find(payload.path("device_id").asText()).orElse(null);
    Server server = servers.find(payload.path("server_id").asText()).orElse(null);
    String newVolume = payload.path("new_volume_id").asText();
    String newAttachment = payload.path("new_attachment_id").asText();
    if (mapping == null || server == null || mapping.state() != BlockDevice.State.DETACHING) {
      if (mapping == null || !newVolume.equals(mapping.volumeId())) {
        volumes.unreserve(new Actor(null, null, true), newAttachment); // nothing to swap into any more
      } else if (payload.hasNonNull("old_attachment_id")) {
        // swapped already: an earlier attempt may have died before it let the old volume go
        volumes.unreserve(new Actor(null, null, true), payload.get("old_attachment_id").asText());
      }
      return;
    }
    String requestId = payload.path("request_id").asText();
    String event = "compute_swap_volume";
    new InstanceActionStore(db.sql()).startEvent(server.id(), requestId, event, server.host(), now());
    Actor owner = Servers.system(server);
    InstanceRef instance = new InstanceRef(server.id(), server.host());
    try {
      if (volumes.connectAttachment(owner, newAttachment, server.host(), mapping.deviceName())) {
        driver.attachVolume(new VolumeRequest(instance, newVolume, mapping.deviceName()));
        volumes.completeAttachment(owner, newAttachment);
      }
      driver.detachVolume(new VolumeRequest(instance, mapping.volumeId(), mapping.deviceName()));
    } catch (HypervisorException | ServiceException e) {
      LOG.info("Volume swap on server {} failed: {}", server.id(), e.getMessage());
      volumes.unreserve(owner, newAttachment);
      new BlockDeviceStore(db.sql()).transition(mapping.id(), BlockDevice.State.DETACHING, BlockDevice.State.ATTACHED);
      new InstanceActionStore(db.sql()).finishEvent(server.id(), requestId, event, e.getMessage(), now());
      return;
    }
    // The server's mapping moves to the new volume before the old one is let go, so nobody sees
    // the old volume available while the server still lists it. Under the server's row and only
    // while no delete has begun: a delete gives back the attachments its mappings name, so a swap
    // it did not see would leave the new volume in-use on a server that is gone.
    if (!swapMapping(server.id(), mapping, newVolume, newAttachment)) {
      BlockDevice now = new BlockDeviceStore(db.sql()).find(mapping.id()).orElse(null);
      if (now == null || !newAttachment.equals(now.attachmentId())) {
        // Not recorded by another run of this task either: the new volume is on no mapping.
        String why = "The server is being deleted, or its volume mapping changed.";
        LOG.info("Volume swap on server {} ended: {}", server.id(), why);
        volumes.unreserve(owner, newAttachment);
        new InstanceActionStore(db.sql()).finishEvent(server.id(), requestId, event, why, now());
        return;
      }
    }
    volumes.unreserve(owner, mapping.attachmentId());
    new InstanceActionStore(db.sql()).finishEvent(server.id(), requestId, event, null, now());
  }

  /** Points the detaching mapping at the new volume and attachment; false if a delete or another change came first. */
  private boolean swapMapping(String serverId, BlockDevice mapping, String newVolume, String newAttachment) {
    try {
      return servers.whileNotDeleting(
          serverId,
          sql -> new BlockDeviceStore(sql).swap(mapping.id(), mapping.volumeId(), newVolume, newAttachment));
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return false; // gone, or its delete has begun
      }
      throw e;
    }
  }

  private BlockDevice mapping(String serverId, String volumeId) {
    return new BlockDeviceStore(db.sql())
        .ofServerAndVolume(serverId, volumeId)
        .orElseThrow(
            () -> ServiceException.notFound(
                "VolumeBDMNotFound", "Volume " + volumeId + " is not attached to server " + serverId + "."));
  }

  private static ServiceException alreadyAttached(String volumeId) {
    return ServiceException.invalid("InvalidVolume", "Invalid volume: volume " + volumeId + " already attached");
  }

  private static String describe(BlockDevice mapping) {
    return switch (mapping.state()) {
      case ATTACHING -> "still attaching";
      case ATTACHED -> "attached";
      case DETACHING -> "already detaching";
    };
  }



  private static Actor owner(Server server) {
    return new Actor(server.projectId(), server.userId(), false);
  }

  private static String payload(String serverId, String deviceId, String volumeId, String requestId) {
    return JSON.createObjectNode()
        .put("server_id", serverId).put("device_id", deviceId).put("volume_id", volumeId).put("request_id", requestId)
        .toString();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
