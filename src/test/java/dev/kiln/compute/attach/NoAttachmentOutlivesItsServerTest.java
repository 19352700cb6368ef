package dev.kiln.compute.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.TestVolumes;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.BootDisks;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.testing.KillAt;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.tasks.TaskStatus;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Volume;
import dev.kiln.volume.VolumeService;
import dev.kiln.volume.Volumes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Block Storage attachment outlives the server it was made for: each way Compute reserves a
 * volume for a server (a create naming the volume, a build attaching the volume it made, an attach,
 * a swap), cut by a kill at each of its commits in turn, then the server deleted and the cut
 * operation's tasks run as a restarted node would run them, leaves every volume free and no
 * attachment naming a server that does not exist. A kill is an {@link Error} thrown at a chosen
 * commit ({@link KillAt}): the commit rolls back and no catch block of the code it leaves runs,
 * as nothing runs in a process killed there. The tasks are run by hand, in a chosen order.
 *
 * <p>Found by the two-node crash harness (seed 47856116932850): a volume stayed reserved with an
 * attachment naming a server that no longer existed.
 *
 * <p>Why over 400 lines: one rule (no attachment outlives its server) checked across every path
 * that reserves, over one hand-wired cloud and one kill machinery; split, each part would repeat
 * both.
 */
abstract class NoAttachmentOutlivesItsServerTest {
  private static final Actor TENANT = new Actor("p1", "u1", false);
  private static final Actor ADMIN = new Actor("admin-project", "admin-user", true);
  private static final List<String> HOSTS = List.of("kiln-compute-1", "kiln-compute-2");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private Database db;
  private TaskRunner tasks;
  private VolumeService volume;
  private Servers servers;
  private ServerVolumeAttachments attachments;
  /** Run once after the driver's next volume detach, then cleared (null: nothing). */
  private Handler afterVolumeDetach;
  /** Run once after the driver's next volume attach, then cleared (null: nothing). */
  private Handler afterVolumeAttach;
  private String imageId;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.random();
    tasks = new TaskRunner(db, clock, ids, "test-node"); // never started: the tests run the handlers
    ComputeService compute = ComputeService.start(db, clock, ids, new SecureRandom(), FleetConfig.defaults(HOSTS));
    NetworkService network = NetworkService.create(db, clock, ids, new SecureRandom(), compute.fleet());
    ImageService image = ImageService.create(db, clock, ids, dataDir);
    image.images().seedDefaultImage("admin-project");
    imageId = db.sql().query("SELECT id FROM image_image WHERE name = 'cirros'", row -> row.getString("id")).getFirst();
    volume = TestVolumes.create(db, clock, ids, tasks);
    // The loops make a volume or two per kill point: more than the default quota of 10.
    new dev.kiln.volume.VolumeQuotas(db).updateClass(ADMIN, "default", Map.of("volumes", -1L, "gigabytes", -1L));
    servers =
        new Servers(
            db, clock, ids, compute.fleet(), compute.driver(), compute.flavors(), compute.keypairs(), compute.quotas(),
            network, image, volume, tasks);
    attachments = new ServerVolumeAttachments(db, clock, ids, withDetachHook(compute.driver()), servers, tasks);
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  @Test
  void aCreateKilledAtAnyCommitLeavesNoVolumeReservedForAServerThatIsNotThere() throws Exception {
    for (int commit = 0; ; commit++) {
      String volumeId = availableVolume();
      boolean killed = KillAt.killedAt(commit, () -> servers.create(TENANT, spec(volumeMapping(volumeId))));
      for (String serverId : serverIds()) {
        deleteByHand(serverId);
      }
      assertFree(volumeId, "create killed at commit " + commit);
      if (!killed) {
        assertThat(commit).as("the create was killed at least once before it finished").isPositive();
        return;
      }
    }
  }

  @Test
  void aBuildKilledAtAnyCommitThenRetriedAndDeletedLeavesItsVolumeFree() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = servers.create(TENANT, spec(blankMapping()));
      // The volume the build made on an earlier attempt (made and waited for by Block Storage's
      // own task, which is not what is tested here).
      String volumeId = availableVolume();
      BlockDevice mapping = new BlockDeviceStore(db.sql()).ofServer(server.id()).getFirst();
      assertThat(new BlockDeviceStore(db.sql()).setVolume(mapping.id(), volumeId)).isTrue();

      boolean killed = KillAt.killedAt(commit, () -> servers.build(buildTask(server.id())));
      servers.build(buildTask(server.id())); // the retry a restarted node makes
      deleteByHand(server.id());
      assertFree(volumeId, "build killed at commit " + commit);
      if (!killed) {
        return;
      }
    }
  }

  /**
   * A build killed after Block Storage committed the volume it makes and before the mapping
   * recorded it: the volume has the id the mapping gives it, so the retry takes that volume rather
   * than making a second one.
   */
  @Test
  void aBuildRetriedAfterItsVolumeWasMadeButNotRecordedTakesThatVolume() throws Exception {
    Server server = servers.create(TENANT, spec(blankMapping()));
    BlockDevice mapping = new BlockDeviceStore(db.sql()).ofServer(server.id()).getFirst();
    String made = madeButNotRecorded(mapping);

    servers.build(buildTask(server.id()));

    assertThat(new BlockDeviceStore(db.sql()).ofServer(server.id()).getFirst().volumeId()).isEqualTo(made);
    assertThat(volume.volumes().list(TENANT, false)).extracting(Volume::id).containsExactly(made);
  }

  /** The same cut, then the server deleted: a volume to delete on termination goes with it. */
  @Test
  void aDeleteRemovesTheVolumeABuildMadeButNeverRecorded() throws Exception {
    Server server =
        servers.create(TENANT, spec(new BootDisks.Mapping(null, BlockDevice.Source.BLANK, false, null, 1, null, null, true, null)));
    BlockDevice mapping = new BlockDeviceStore(db.sql()).ofServer(server.id()).getFirst();
    madeButNotRecorded(mapping);

    deleteByHand(server.id());

    assertThat(volume.volumes().list(TENANT, false)).as("volumes left after the delete").isEmpty();
  }

  /** What Block Storage holds after a kill between its volume commit and the mapping's record. */
  private String madeButNotRecorded(BlockDevice mapping) {
    String id = dev.kiln.compute.servers.ServerVolumes.madeVolumeId(mapping);
    volume.volumes().create(TENANT, new Volumes.Spec("", null, 1, null, null, Map.of(), null, null, null, null), id);
    db.sql().update("UPDATE volume_volume SET status = 'available' WHERE id = ?", id);
    return id;
  }

  /**
   * The reservation and its record are one commit under the server's row, refused once a delete
   * has begun: a build cannot reserve between a delete's release of the server's volumes and its
   * removal of the server (when it did, the reservation outlived the server).
   */
  @Test
  void aBuildReservesNothingForAServerWhoseDeleteHasBegun() throws Exception {
    Server server = servers.create(TENANT, spec(blankMapping()));
    String volumeId = availableVolume();
    BlockDevice mapping = new BlockDeviceStore(db.sql()).ofServer(server.id()).getFirst();
    new BlockDeviceStore(db.sql()).setVolume(mapping.id(), volumeId);
    servers.delete(TENANT, server.id()); // marked deleting; its task has not run yet

    servers.build(buildTask(server.id()));

    assertThat(volume.volumes().visible(ADMIN, volumeId).attachments()).as("attachments after the build").isEmpty();
    finishDeleteByHand(server.id());
    assertFree(volumeId, "after the delete");
  }

  /** A move's attachment on its destination is made under the server's row too. */
  @Test
  void aMoveMakesNoAttachmentForAServerWhoseDeleteHasBegun() throws Exception {
    Server server = activeServer();
    String volumeId = availableVolume();
    attachments.attach(TENANT, server.id(), volumeId, null, null, false, false);
    runQueuedAttachTasks();
    servers.delete(TENANT, server.id());

    assertThatThrownBy(
            () -> servers.volumes().attachForMove(Servers.system(servers.find(server.id()).orElseThrow()), volumeId,
                server.id(), "kiln-compute-2", "/dev/vdb"))
        .isInstanceOf(ServiceException.class);

    assertThat(volume.volumes().visible(ADMIN, volumeId).attachments()).as("attachments of the volume").hasSize(1);
    finishDeleteByHand(server.id());
    assertFree(volumeId, "after the delete");
  }

  @Test
  void anAttachKilledAtAnyCommitLeavesNothingWhetherItsServerIsDeletedBeforeOrAfterItsTasksRun() throws Exception {
    for (int commit = 0; ; commit++) {
      // The server is deleted after the kill, before the attach's tasks run (a restarted node
      // runs the guard 30 s later).
      Server deletedFirst = activeServer();
      String first = availableVolume();
      boolean killed =
          KillAt.killedAt(commit, () -> attachments.attach(TENANT, deletedFirst.id(), first, null, null, false, false));
      deleteByHand(deletedFirst.id());
      runQueuedAttachTasks();
      assertFree(first, "attach killed at commit " + commit + ", server deleted first");

      // The attach's tasks run first, then the server is deleted.
      Server deletedLast = activeServer();
      String last = availableVolume();
      KillAt.killedAt(commit, () -> attachments.attach(TENANT, deletedLast.id(), last, null, null, false, false));
      runQueuedAttachTasks();
      deleteByHand(deletedLast.id());
      assertFree(last, "attach killed at commit " + commit + ", server deleted last");
      if (!killed) {
        return;
      }
    }
  }

  @Test
  void aSwapKilledAtAnyCommitLeavesTheNewVolumeFreeOnceItsServerIsDeleted() throws Exception {
    Actor admin = new Actor(TENANT.projectId(), "admin-user", true);
    for (int commit = 0; ; commit++) {
      Server server = activeServer();
      String old = availableVolume();
      attachments.attach(TENANT, server.id(), old, null, null, false, false);
      runQueuedAttachTasks();
      String replacement = availableVolume();
      boolean killed = KillAt.killedAt(commit, () -> attachments.swap(admin, server.id(), old, replacement));
      deleteByHand(server.id());
      runQueued(ServerVolumeAttachments.SWAP_TASK, payload -> attachments.finishSwap(payload));
      assertFree(replacement, "swap killed at commit " + commit);
      assertFree(old, "swap killed at commit " + commit);
      if (!killed) {
        return;
      }
    }
  }

  /**
   * The server's whole delete runs while its swap task is between its driver calls and its record
   * of the swap: the swap, which the delete never saw, must not leave the new volume in-use on a
   * server that is gone (it did when the swap's record, refused by the cascade, was not checked).
   */
  @Test
  void aSwapWhoseServerIsDeletedWhileItRunsLeavesBothVolumesFree() throws Exception {
    Actor admin = new Actor(TENANT.projectId(), "admin-user", true);
    Server server = activeServer();
    String old = availableVolume();
    attachments.attach(TENANT, server.id(), old, null, null, false, false);
    runQueuedAttachTasks();
    String replacement = availableVolume();
    attachments.swap(admin, server.id(), old, replacement);
    afterVolumeDetach = payload -> deleteByHand(server.id());

    runQueued(ServerVolumeAttachments.SWAP_TASK, attachments::finishSwap);

    assertThat(servers.find(server.id())).as("the server after its delete").isEmpty();
    assertFree(replacement, "the volume swapped in");
    assertFree(old, "the volume swapped out");
  }

  /**
   * The driver, running {@link #afterVolumeDetach} once after a volume detach and {@link
   * #afterVolumeAttach} once after a volume attach.
   */
  private HypervisorDriver withDetachHook(HypervisorDriver driver) {
    return (HypervisorDriver)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {HypervisorDriver.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(driver, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("detachVolume") && afterVolumeDetach != null) {
                Handler hook = afterVolumeDetach;
                afterVolumeDetach = null;
                hook.run(null);
              } else if (method.getName().equals("attachVolume") && afterVolumeAttach != null) {
                Handler hook = afterVolumeAttach;
                afterVolumeAttach = null;
                hook.run(null);
              }
              return result;
            });
  }

  /**
   * Two runs of one attach's task at once (a lease that ran out under a slow run, and another
   * node's claim): the second finishes the attach while the first is still connecting, and the
   * first then finds the mapping attached and writes nothing; the attach is recorded once.
   */
  @Test
  void twoRunsOfOneAttachAtOnceRecordItsOutcomeOnce() throws Exception {
    Server server = activeServer();
    String volumeId = availableVolume();
    attachments.attach(TENANT, server.id(), volumeId, null, null, false, false);
    JsonNode payload =
        JSON.readTree(
            db.sql().query(
                    "SELECT payload FROM task WHERE kind = ? AND status = 'QUEUED'",
                    row -> row.getString("payload"),
                    ServerVolumeAttachments.ATTACH_TASK)
                .getFirst());
    afterVolumeAttach = ignored -> attachments.finishAttach(payload);

    attachments.finishAttach(payload);

    assertThat(volume.volumes().visible(ADMIN, volumeId).status()).isEqualTo(Volume.Status.IN_USE);
    assertThat(new BlockDeviceStore(db.sql()).ofServer(server.id()))
        .extracting(BlockDevice::state)
        .containsExactly(BlockDevice.State.ATTACHED);
    assertThat(
            db.sql().count(
                "SELECT COUNT(*) FROM compute_instance_action_event WHERE server_id = ? AND event = 'compute_attach_volume'",
                server.id()))
        .as("attach events recorded")
        .isEqualTo(1);
  }

  /** What a kill left before a reservation and its record were one commit: the delete still frees it. */
  @Test
  void aDeleteReleasesAReservationItsMappingNeverRecorded() throws Exception {
    Server server = activeServer();
    String volumeId = availableVolume();
    unrecordedAttach(server.id(), volumeId);

    deleteByHand(server.id());

    assertFree(volumeId, "after the delete");
  }

  @Test
  void theGiveUpOfAnAttachReleasesAReservationItsMappingNeverRecorded() throws Exception {
    Server server = activeServer();
    String volumeId = availableVolume();
    BlockDevice mapping = unrecordedAttach(server.id(), volumeId);

    attachments.giveUpAttach(attachPayload(server.id(), mapping.id(), volumeId), "attempt 3 abandoned");

    assertThat(new BlockDeviceStore(db.sql()).find(mapping.id())).isEmpty();
    assertFree(volumeId, "after the give-up");
  }

  /** The server's delete ran before the attach's guard; the guard closes what outlived it. */
  @Test
  void theGuardOfAnAttachWhoseServerIsGoneReleasesItsReservation() throws Exception {
    Server server = activeServer();
    String volumeId = availableVolume();
    String deviceId = UUID.randomUUID().toString();
    deleteByHand(server.id());
    // As a run from before this fix left it: the reservation made, the server gone without it.
    volume.attachments().create(TENANT, volumeId, server.id(), null, null);

    attachments.finishAttach(attachPayload(server.id(), deviceId, volumeId));

    assertFree(volumeId, "after the guard");
  }

  /**
   * C34: a detach's task lets Block Storage go of the attachment and destroys the mapping in one
   * commit, so at no kill does the server stop listing a volume that is still attached to it, nor
   * does the volume show available while the server still maps it.
   */
  @Test
  void aDetachKilledAtAnyCommitNeverShowsTheVolumeGoneFromTheServerWhileStillAttached() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServer();
      String volumeId = attachedVolume(server);
      attachments.detach(TENANT, server.id(), volumeId);

      boolean killed = KillAt.killedAt(commit, () -> runQueued(ServerVolumeAttachments.DETACH_TASK, attachments::finishDetach));

      boolean mapped = new BlockDeviceStore(db.sql()).ofServerAndVolume(server.id(), volumeId).isPresent();
      Volume now = volume.volumes().visible(ADMIN, volumeId);
      String state = "detach killed at commit " + commit + ": mapped " + mapped + ", volume " + now.status() + " with "
          + now.attachments().size() + " attachments";
      if (mapped) {
        assertThat(now.status()).as(state).isNotEqualTo(Volume.Status.AVAILABLE);
      } else {
        assertThat(now.attachments()).as(state).isEmpty();
        assertThat(now.status()).as(state).isEqualTo(Volume.Status.AVAILABLE);
      }
      runQueued(ServerVolumeAttachments.DETACH_TASK, attachments::finishDetach); // the retry
      deleteByHand(server.id());
      assertFree(volumeId, state);
      if (!killed) {
        return;
      }
    }
  }

  /**
   * A detach request is one commit: Block Storage's detaching, the mapping's, and the task. Killed
   * at any commit, the volume and its mapping are both still attached with no task, or both
   * detaching with the task queued. In two commits, a kill between them left the task to find the
   * volume in-use, and its begin then raced the request's (README, "December 6: a detach that
   * raced its own task").
   */
  @Test
  void aDetachRequestKilledAtAnyCommitLeavesTheVolumeAndTheMappingAgreeing() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServer();
      String volumeId = attachedVolume(server);

      boolean killed = KillAt.killedAt(commit, () -> attachments.detach(TENANT, server.id(), volumeId));

      BlockDevice mapping = new BlockDeviceStore(db.sql()).ofServerAndVolume(server.id(), volumeId).orElseThrow();
      String status = volume.volumes().visible(ADMIN, volumeId).status();
      long queued =
          db.sql().count("SELECT COUNT(*) FROM task WHERE kind = ? AND status = 'QUEUED'", ServerVolumeAttachments.DETACH_TASK);
      String state = "detach request killed at commit " + commit + ": mapping " + mapping.state() + ", volume " + status
          + ", " + queued + " detach tasks queued";
      if (mapping.state() == BlockDevice.State.DETACHING) {
        assertThat(status).as(state).isEqualTo(Volume.Status.DETACHING);
        assertThat(queued).as(state).isEqualTo(1L);
      } else {
        assertThat(mapping.state()).as(state).isEqualTo(BlockDevice.State.ATTACHED);
        assertThat(status).as(state).isEqualTo(Volume.Status.IN_USE);
        assertThat(queued).as(state).isZero();
        attachments.detach(TENANT, server.id(), volumeId); // the client tries again
      }
      runQueued(ServerVolumeAttachments.DETACH_TASK, attachments::finishDetach);
      assertFree(volumeId, state + ", then its task ran");
      deleteByHand(server.id());
      if (!killed) {
        return;
      }
    }
  }

  /**
   * A move hands each volume over to its attachment on the destination in one commit: killed at
   * any of its commits and repeated (as the task that takes it over repeats it), it leaves the
   * volume one attachment, the one its mapping names, on the destination, and a detach then frees
   * the volume. Found by the two-node crash harness (seed 19957047686876): after an acknowledged
   * detach the volume was still attached to its server, by the source's attachment a killed move
   * had left behind.
   */
  @Test
  void aVolumeMoveKilledAtAnyCommitAndRepeatedLeavesOneAttachmentThatADetachFrees() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServer();
      String volumeId = availableVolume();
      attachments.attach(TENANT, server.id(), volumeId, null, null, false, false);
      runQueuedAttachTasks();
      Server attached = servers.find(server.id()).orElseThrow();
      String destination = HOSTS.stream().filter(h -> !h.equals(attached.host())).findFirst().orElseThrow();

      boolean killed = KillAt.killedAt(commit, () -> servers.volumes().moveAttachments(attached, destination));
      servers.volumes().moveAttachments(attached, destination); // the retry

      String state = "move killed at commit " + commit;
      List<Attachment> left = volume.volumes().visible(ADMIN, volumeId).attachments();
      String named = new BlockDeviceStore(db.sql()).ofServerAndVolume(server.id(), volumeId).orElseThrow().attachmentId();
      assertThat(left).as(state).extracting(Attachment::id).containsExactly(named);
      assertThat(left.getFirst().attachedHost()).as(state).isEqualTo(destination);
      attachments.detach(TENANT, server.id(), volumeId);
      runQueued(ServerVolumeAttachments.DETACH_TASK, attachments::finishDetach);
      assertFree(volumeId, state + ", then detached");
      if (!killed) {
        return;
      }
    }
  }

  // The cloud

  private Servers.Spec spec(BootDisks.Mapping volume) {
    return new Servers.Spec(
        "vm", null, "1", imageId, List.of(), false, null, Map.of(), null, null, List.of(), null, 1, 1, List.of(volume),
        null, null, List.of());
  }

  private static BootDisks.Mapping volumeMapping(String volumeId) {
    return new BootDisks.Mapping(null, BlockDevice.Source.VOLUME, false, volumeId, null, null, null, false, null);
  }

  private static BootDisks.Mapping blankMapping() {
    return new BootDisks.Mapping(null, BlockDevice.Source.BLANK, false, null, 1, null, null, false, null);
  }

  private Server activeServer() throws Exception {
    Server server =
        servers.create(TENANT, new Servers.Spec("vm", null, "1", imageId, List.of(), false, null, Map.of(), null, null));
    servers.build(buildTask(server.id()));
    assertThat(servers.find(server.id()).orElseThrow().status()).isEqualTo(Server.ACTIVE);
    return server;
  }

  /** A new volume, available (its creation is Block Storage's task, not what is tested here). */
  private String availableVolume() {
    Volume v = volume.volumes().create(TENANT, new Volumes.Spec("v", null, 1, null, null, Map.of(), null, null, null, null));
    db.sql().update("UPDATE volume_volume SET status = 'available' WHERE id = ?", v.id());
    return v.id();
  }

  /**
   * What an attach request killed between its reservation and its record left, before the two
   * were one commit: the mapping without its attachment, and the reservation in Block Storage.
   */
  private BlockDevice unrecordedAttach(String serverId, String volumeId) {
    BlockDevice mapping =
        new BlockDevice(
            UUID.randomUUID().toString(), serverId, null, BlockDevice.Source.VOLUME, volumeId, volumeId, null, null,
            "/dev/vdb", false, null, null, BlockDevice.State.ATTACHING, Instant.now());
    new BlockDeviceStore(db.sql()).insert(mapping);
    volume.attachments().create(TENANT, volumeId, serverId, null, null);
    return mapping;
  }

  private static Task buildTask(String serverId) {
    return task(Servers.BUILD_TASK, "{\"server_id\":\"" + serverId + "\",\"networks\":[]}");
  }

  private static Task task(String kind, String payload) {
    Instant now = Instant.now();
    return new Task(
        UUID.randomUUID().toString(), kind, payload, TaskStatus.RUNNING, 1, 3, now, "test-node", now, null, null, now, now);
  }

  private static JsonNode attachPayload(String serverId, String deviceId, String volumeId) {
    return JSON.createObjectNode()
        .put("server_id", serverId).put("device_id", deviceId).put("volume_id", volumeId).put("request_id", "req-1");
  }

  /** The delete as the API makes it, then its task run to its end. */
  private void deleteByHand(String serverId) throws Exception {
    if (servers.find(serverId).isEmpty()) {
      return;
    }
    servers.delete(ADMIN, serverId);
    finishDeleteByHand(serverId);
  }

  private void finishDeleteByHand(String serverId) throws Exception {
    servers.finishDelete(task(Servers.DELETE_TASK, "{\"server_id\":\"" + serverId + "\"}"));
    assertThat(servers.find(serverId)).as("server " + serverId + " after its delete").isEmpty();
  }

  private List<String> serverIds() {
    return db.sql().query("SELECT id FROM compute_server", row -> row.getString("id"));
  }

  @FunctionalInterface
  private interface Handler {
    void run(JsonNode payload) throws Exception;
  }

  /** A new volume, attached to the server and in-use. */
  private String attachedVolume(Server server) throws Exception {
    String volumeId = availableVolume();
    attachments.attach(TENANT, server.id(), volumeId, null, null, false, false);
    runQueuedAttachTasks();
    assertThat(volume.volumes().visible(ADMIN, volumeId).status()).isEqualTo(Volume.Status.IN_USE);
    return volumeId;
  }

  private void runQueuedAttachTasks() throws Exception {
    runQueued(ServerVolumeAttachments.ATTACH_TASK, attachments::finishAttach);
  }

  /** Runs every queued task of this kind now (guards too, without waiting for them), once each. */
  private void runQueued(String kind, Handler handler) throws Exception {
    List<String[]> queued =
        db.sql().query(
            "SELECT id, payload FROM task WHERE kind = ? AND status = 'QUEUED' ORDER BY run_after",
            row -> new String[] {row.getString("id"), row.getString("payload")},
            kind);
    for (String[] t : queued) {
      handler.run(JSON.readTree(t[1]));
      db.sql().update("UPDATE task SET status = 'SUCCEEDED' WHERE id = ?", t[0]);
    }
  }

  /** The volume is available, with no attachment, and no attachment anywhere names a missing server. */
  private void assertFree(String volumeId, String when) {
    Volume v = volume.volumes().visible(ADMIN, volumeId);
    assertThat(v.attachments()).as("attachments of volume " + volumeId + " " + when).isEmpty();
    assertThat(v.status()).as("status of volume " + volumeId + " " + when).isEqualTo(Volume.Status.AVAILABLE);
    Set<String> existing = new HashSet<>(serverIds());
    List<Attachment> orphans =
        volume.attachments().list(ADMIN, true).stream()
            .filter(a -> a.instanceUuid() != null && !existing.contains(a.instanceUuid()))
            .toList();
    assertThat(orphans).as("attachments naming a server that does not exist, " + when).isEmpty();
  }
}
