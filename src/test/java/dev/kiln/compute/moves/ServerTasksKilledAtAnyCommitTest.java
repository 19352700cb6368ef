package dev.kiln.compute.moves;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.InProcessCompute;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.BootDisks;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.PortBinding;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.testing.KillAt;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Attachments;
import dev.kiln.volume.Volume;
import dev.kiln.volume.VolumeService;
import dev.kiln.volume.Volumes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with a port and a volume, built, moved (live, cold, a resize's confirm and revert, an
 * unshelve) or deleted, with a kill at each commit of the task in turn, then the task run again as
 * the node that takes it over runs it. Whether the work was finished or undone, the server is
 * settled on one host, its port has one active binding there (and an inactive one on the source
 * while a resize waits for its confirmation), and its volume one attachment, the one its mapping
 * names, connected there. Once the server is deleted, the volume is free and no host holds a
 * claim. In the moves package: the move tasks' handlers are package-private.
 */
abstract class ServerTasksKilledAtAnyCommitTest {
  private static final Actor TENANT = InProcessCompute.TENANT;
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final List<String> HOSTS = List.of("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private InProcessCompute cloud;
  private Database db;
  private NetworkService network;
  private VolumeService volume;
  private Servers servers;
  private ServerMoves moves;
  private ServerLiveMigrations liveMigrations;
  private ServerShelves shelves;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    cloud = InProcessCompute.open(openNewDatabase(), dataDir, HOSTS, "10.6.0.0/24");
    db = cloud.db();
    network = cloud.network();
    volume = cloud.volume();
    servers = cloud.servers();
    ComputeService compute = cloud.compute();
    // The loops make a volume per kill point: more than the default quota of 10.
    new dev.kiln.volume.VolumeQuotas(db).updateClass(ADMIN, "default", Map.of("volumes", -1L, "gigabytes", -1L));
    moves =
        new ServerMoves(
            db, cloud.clock(), cloud.ids(), compute.fleet(), compute.driver(), compute.flavors(), compute.quotas(), servers,
            network, cloud.tasks());
    liveMigrations =
        new ServerLiveMigrations(db, cloud.clock(), cloud.ids(), compute.fleet(), compute.driver(), network, servers, cloud.tasks());
    shelves =
        new ServerShelves(
            db, cloud.clock(), cloud.ids(), compute.fleet(), compute.driver(), servers, network, cloud.image(), cloud.tasks());
  }

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  @Test
  void aBuildKilledAtAnyCommitAndTakenOverLeavesOneBindingAndOneAttachmentWhereTheServerIs() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = createdServerWithVolume();
      Task task = cloud.newestTask(Servers.BUILD_TASK);
      boolean killed = KillAt.killedAt(commit, () -> servers.build(task));
      servers.build(InProcessCompute.retried(task));

      assertWhole(server.id(), Server.ACTIVE, "build killed at commit " + commit);
      deleteAndAssertVolumeFree(server.id());
      if (!killed) {
        return;
      }
    }
  }

  @Test
  void aLiveMigrationKilledAtAnyCommitAndTakenOverLeavesOneBindingAndOneAttachmentWhereTheServerIs() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServerWithVolume();
      liveMigrations.start(ADMIN, server.id(), null, false);
      Task task = cloud.newestTask(ServerLiveMigrations.TASK);
      boolean killed = KillAt.killedAt(commit, () -> liveMigrations.migrate(JSON.readTree(task.payload())));
      liveMigrations.migrate(JSON.readTree(task.payload())); // the node that takes the task over

      assertWhole(server.id(), Server.ACTIVE, "live migration killed at commit " + commit);
      deleteAndAssertVolumeFree(server.id());
      if (!killed) {
        return;
      }
    }
  }

  @Test
  void aColdMigrationKilledAtAnyCommitAndTakenOverLeavesOneBindingAndOneAttachmentWhereTheServerIs() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServerWithVolume();
      moves.migrate(ADMIN, server.id(), null);
      Task task = cloud.newestTask(ServerMoves.MOVE_TASK);
      boolean killed = KillAt.killedAt(commit, () -> moves.perform(task));
      moves.perform(InProcessCompute.retried(task));

      assertWhole(server.id(), ServerMoves.VERIFY_RESIZE, "cold migration killed at commit " + commit);
      deleteAndAssertVolumeFree(server.id());
      if (!killed) {
        return;
      }
    }
  }

  @Test
  void aRevertKilledAtAnyCommitAndTakenOverLeavesOneBindingAndOneAttachmentWhereTheServerIs() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServerWithVolume();
      moves.migrate(ADMIN, server.id(), null);
      moves.perform(cloud.newestTask(ServerMoves.MOVE_TASK));
      moves.revert(ADMIN, server.id());
      Task task = cloud.newestTask(ServerMoves.MOVE_TASK);
      boolean killed = KillAt.killedAt(commit, () -> moves.perform(task));
      moves.perform(InProcessCompute.retried(task));

      assertWhole(server.id(), Server.ACTIVE, "revert killed at commit " + commit);
      assertThat(servers.get(server.id()).host()).as("host after the revert").isEqualTo(server.host());
      deleteAndAssertVolumeFree(server.id());
      if (!killed) {
        return;
      }
    }
  }

  @Test
  void aConfirmKilledAtAnyCommitAndTakenOverLeavesOneBindingAndOneAttachmentWhereTheServerIs() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServerWithVolume();
      moves.migrate(ADMIN, server.id(), null);
      moves.perform(cloud.newestTask(ServerMoves.MOVE_TASK));
      String destination = servers.get(server.id()).host();
      moves.confirm(ADMIN, server.id());
      Task task = cloud.newestTask(ServerMoves.MOVE_TASK);
      boolean killed = KillAt.killedAt(commit, () -> moves.perform(task));
      moves.perform(InProcessCompute.retried(task));

      assertWhole(server.id(), Server.ACTIVE, "confirm killed at commit " + commit);
      assertThat(servers.get(server.id()).host()).as("host after the confirm").isEqualTo(destination);
      deleteAndAssertVolumeFree(server.id());
      if (!killed) {
        return;
      }
    }
  }

  /** An unshelve of an offloaded server places it anew: the claim, the bindings and the attachment follow. */
  @Test
  void anUnshelveKilledAtAnyCommitAndTakenOverLeavesOneBindingAndOneAttachmentWhereTheServerIs() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServerWithVolume();
      shelves.shelve(TENANT, server.id());
      shelves.shelveStep(cloud.newestTask(ServerShelves.SHELVE_TASK));
      if (servers.get(server.id()).host() != null) {
        shelves.shelveOffload(ADMIN, server.id());
        shelves.shelveStep(cloud.newestTask(ServerShelves.SHELVE_TASK));
      }
      assertThat(servers.get(server.id()).host()).as("host once offloaded").isNull();
      shelves.unshelve(ADMIN, server.id());
      Task task = cloud.newestTask(ServerShelves.UNSHELVE_TASK);
      boolean killed = KillAt.killedAt(commit, () -> shelves.unshelveStep(task));
      shelves.unshelveStep(InProcessCompute.retried(task));

      assertWhole(server.id(), Server.ACTIVE, "unshelve killed at commit " + commit);
      deleteAndAssertVolumeFree(server.id());
      if (!killed) {
        return;
      }
    }
  }

  /** A resized server waiting for its confirmation holds two hosts: its delete gives back both. */
  @Test
  void theDeleteOfAResizedServerKilledAtAnyCommitAndTakenOverLeavesNothingBehind() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServerWithVolume();
      moves.migrate(ADMIN, server.id(), null);
      moves.perform(cloud.newestTask(ServerMoves.MOVE_TASK));
      servers.delete(ADMIN, server.id());
      Task task = cloud.newestTask(Servers.DELETE_TASK);
      String volumeId = volumeOf(server.id());
      String portId = server.ports().getFirst().portId();
      boolean killed = KillAt.killedAt(commit, () -> servers.finishDelete(task));
      servers.finishDelete(InProcessCompute.retried(task));

      assertThat(servers.find(server.id())).as("the server after its delete, killed at commit " + commit).isEmpty();
      assertFreed(volumeId);
      // The port was Compute's (made for the network asked for): it goes, and its bindings with it.
      assertThat(db.sql().query("SELECT host FROM network_port_binding WHERE port_id = ?", r -> r.getString("host"), portId))
          .as("bindings of the server's port after its delete, killed at commit " + commit).isEmpty();
      assertThat(db.sql().query("SELECT id FROM network_port WHERE id = ?", r -> r.getString("id"), portId))
          .as("the server's port after its delete, killed at commit " + commit).isEmpty();
      if (!killed) {
        return;
      }
    }
  }

  /**
   * The server is settled in {@code status} on one host; its port has one binding, active there;
   * its volume one attachment, named by its mapping, connected there.
   */
  private void assertWhole(String serverId, String status, String when) {
    Server server = servers.get(serverId);
    assertThat(server.taskState()).as("task state, " + when).isNull();
    assertThat(server.status()).as("status, " + when).isEqualTo(status);
    String portId = server.ports().getFirst().portId();
    List<PortBinding> bindings = network.bindings().list(portId);
    assertThat(bindings.stream().filter(b -> b.status() == PortBinding.Status.ACTIVE))
        .as("active bindings of the port, " + when + ": " + bindings)
        .extracting(PortBinding::host)
        .containsExactly(server.host());
    // A resize waiting for its confirmation keeps the source's binding, inactive, for a revert.
    assertThat(bindings).as("bindings of the port, " + when).hasSize(status.equals(ServerMoves.VERIFY_RESIZE) ? 2 : 1);
    BlockDevice mapping =
        new BlockDeviceStore(db.sql()).ofServer(serverId).stream().filter(d -> d.volumeId() != null).findFirst().orElseThrow();
    List<Attachment> attachments = volume.volumes().visible(ADMIN, mapping.volumeId()).attachments();
    assertThat(attachments).as("attachments of the volume, " + when).extracting(Attachment::id).containsExactly(mapping.attachmentId());
    assertThat(attachments.getFirst().attachStatus()).as("attachment's status, " + when).isEqualTo(Attachments.ATTACHED);
    assertThat(attachments.getFirst().attachedHost()).as("attachment's host, " + when).isEqualTo(server.host());
  }

  private void deleteAndAssertVolumeFree(String serverId) throws Exception {
    String volumeId = volumeOf(serverId);
    servers.delete(ADMIN, serverId);
    servers.finishDelete(cloud.newestTask(Servers.DELETE_TASK));
    assertFreed(volumeId);
  }

  private String volumeOf(String serverId) {
    return new BlockDeviceStore(db.sql()).ofServer(serverId).stream().filter(d -> d.volumeId() != null).findFirst().orElseThrow().volumeId();
  }

  /** The volume is available with no attachment, and no host holds a claim. */
  private void assertFreed(String volumeId) {
    Volume left = volume.volumes().visible(ADMIN, volumeId);
    assertThat(left.attachments()).as("attachments once the server is deleted").isEmpty();
    assertThat(left.status()).isEqualTo(Volume.Status.AVAILABLE);
    cloud.assertNoHostHoldsAClaim(HOSTS);
  }

  /** A server on a network, with an existing volume attached by its build. */
  private Server activeServerWithVolume() throws Exception {
    Server server = createdServerWithVolume();
    servers.build(cloud.newestTask(Servers.BUILD_TASK));
    Server built = servers.get(server.id());
    assertThat(built.status()).isEqualTo(Server.ACTIVE);
    return built;
  }

  /** A server asked for on a network with an existing volume, its build task queued. */
  private Server createdServerWithVolume() {
    Volume v = volume.volumes().create(TENANT, new Volumes.Spec("v", null, 1, null, null, Map.of(), null, null, null, null));
    db.sql().update("UPDATE volume_volume SET status = 'available' WHERE id = ?", v.id());
    return servers.create(
        TENANT,
        new Servers.Spec(
            "vm", null, "1", cloud.imageId(), List.of(new Servers.NetworkRequest(cloud.networkId(), null, null)), false, null,
            Map.of(), null, null, List.of(), null, 1, 1,
            List.of(new BootDisks.Mapping(null, BlockDevice.Source.VOLUME, false, v.id(), null, null, null, false, null))));
  }
}
