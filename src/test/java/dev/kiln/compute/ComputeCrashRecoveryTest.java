package dev.kiln.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.ChildKiln;
import dev.kiln.testing.Cloud;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compute killed with SIGKILL in the middle of an operation that holds a server, then started
 * again on the same data directory: the operation is finished or undone by the restarted node's
 * task runner, at once rather than after the killed run's lease, and nothing stays half done (no
 * server left in a task state, no port bound twice or to nothing, no volume with a second
 * attachment).
 */
class ComputeCrashRecoveryTest {
  private static final String NOVA = Cloud.NOVA;
  private static final String NET = Cloud.NET;
  /**
   * How long a restarted node may take to finish or undo what the killed one was doing. On the
   * embedded store the restart ends the killed run's claims at once (only one process can open the
   * directory, so they are surely dead), so the work resumes as soon as Kiln is up; this bound is
   * below the 30 s lease, so a restart that waited the lease out fails here.
   */
  private static final Duration RECOVERY = Duration.ofSeconds(20);
  /** How soon a plain interface attach (no slowed driver after the restart) must be finished. */
  private static final Duration PROMPT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void killedDuringAnInterfaceAttachTheAttachIsFinishedAfterTheRestart() throws Exception {
    Path data = dir.resolve("data");
    String server;
    String userPort;
    String networkId;
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      networkId = Cloud.network(admin, "crash-net", "10.91.0.0/24");
      server = Cloud.bootActive(admin, Cloud.cirros(admin), networkId, "crash-attach");
      userPort =
          admin.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
      slow(admin, "attach_interface");
      Thread attach = inBackground(() -> admin.post(NOVA + "/servers/" + server + "/os-interface",
          "{\"interfaceAttachment\": {\"port_id\": \"" + userPort + "\"}}"));
      Await.until(() -> "interface_attaching".equals(taskState(admin, server)), "the attach to hold the server");
      settle();
      kiln.kill();
      attach.join(10_000);
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      // Within a few seconds of the restart: the killed run's claim is ended at start.
      Await.until(() -> taskState(admin, server) == null, PROMPT, "the attach to be finished after the restart");
      JsonNode port = admin.get(NET + "/ports/" + userPort).expect(200).get("port");
      assertThat(port.get("device_id").asText()).isEqualTo(server);
      assertThat(interfaces(admin, server)).contains(userPort).hasSize(2);
      assertThat(Cloud.serverStatus(admin, server)).isEqualTo("ACTIVE");
      // The server takes the next change, and the port leaves it cleanly.
      admin.delete(NOVA + "/servers/" + server + "/os-interface/" + userPort).expect(202);
      assertThat(admin.get(NET + "/ports/" + userPort).expect(200).at("/port/device_id").asText()).isEmpty();
      assertThat(portsNaming(admin, server)).hasSize(1);
    }
  }

  @Test
  void killedDuringANetworkAttachNoPortIsLeftBehind() throws Exception {
    Path data = dir.resolve("data");
    String server;
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      String networkId = Cloud.network(admin, "crash-net", "10.92.0.0/24");
      server = Cloud.bootActive(admin, Cloud.cirros(admin), networkId, "crash-net-attach");
      slow(admin, "attach_interface");
      Thread attach = inBackground(() -> admin.post(NOVA + "/servers/" + server + "/os-interface",
          "{\"interfaceAttachment\": {\"net_id\": \"" + networkId + "\"}}"));
      Await.until(() -> "interface_attaching".equals(taskState(admin, server)), "the attach to hold the server");
      settle();
      kiln.kill();
      attach.join(10_000);
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      Await.until(() -> taskState(admin, server) == null, RECOVERY, "the attach to be settled after the restart");
      // Every port naming the server is one of its interfaces, and the other way round.
      assertThat(portsNaming(admin, server)).containsExactlyInAnyOrderElementsOf(interfaces(admin, server));
      Cloud.deleteServer(admin, server);
      assertThat(portsNaming(admin, server)).isEmpty();
    }
  }

  @Test
  void killedDuringALiveMigrationEachVolumeKeepsOneAttachment() throws Exception {
    Path data = dir.resolve("data");
    String server;
    List<String> volumes = new ArrayList<>();
    String cinder;
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      String project = admin.get("/identity/v3/projects?name=admin").expect(200).at("/projects/0/id").asText();
      cinder = "/volume/v3/" + project;
      String networkId = Cloud.network(admin, "crash-net", "10.93.0.0/24");
      server = Cloud.bootActive(admin, Cloud.cirros(admin), networkId, "crash-live");
      for (int i = 0; i < 2; i++) {
        String volume = Cloud.availableVolume(admin, cinder, "crash-vol-" + i);
        admin.post(NOVA + "/servers/" + server + "/os-volume_attachments", "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}")
            .expect(200);
        String cinderRoot = cinder;
        Await.until(() -> Cloud.volumeStatus(admin, cinderRoot, volume).equals("in-use"), "volume in-use");
        volumes.add(volume);
      }
      slow(admin, "live_migrate");
      admin.withHeader("X-OpenStack-Nova-API-Version", "2.30")
          .post(NOVA + "/servers/" + server + "/action", "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}")
          .expect(202);
      Api v223 = admin.withHeader("X-OpenStack-Nova-API-Version", "2.23");
      Await.until(
          () -> v223.get(NOVA + "/servers/" + server + "/migrations").expect(200).at("/migrations/0/status").asText().equals("running"),
          "the migration to run");
      settle();
      kiln.kill();
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      Await.until(() -> taskState(admin, server) == null, RECOVERY, "the migration to be rolled back after the restart");
      assertThat(Cloud.serverStatus(admin, server)).isEqualTo("ACTIVE");
      Api v327 = admin.withHeader("OpenStack-API-Version", "volume 3.27");
      for (String volume : volumes) {
        JsonNode attachments = v327.get(cinder + "/attachments/detail?volume_id=" + volume).expect(200).get("attachments");
        assertThat(attachments).as("attachments of " + volume + ": " + admin.get(cinder + "/volumes/" + volume).body()
            + " server " + Cloud.server(admin, server)).hasSize(1);
        assertThat(attachments.get(0).get("status").asText()).isEqualTo("attached");
        assertThat(Cloud.volumeStatus(admin, cinder, volume)).isEqualTo("in-use");
      }
      String host = Cloud.server(admin, server).get("OS-EXT-SRV-ATTR:host").asText();
      for (String portId : interfaces(admin, server)) {
        JsonNode bindings = admin.get(NET + "/ports/" + portId + "/bindings").expect(200).get("bindings");
        assertThat(bindings).as("bindings of " + portId).hasSize(1);
        assertThat(bindings.get(0).get("host").asText()).isEqualTo(host);
      }
    }
  }

  /**
   * The post-migration activates the destination's bindings (the source's going INACTIVE, then
   * deleted) before the commit that moves the server: a node killed in between left the server on
   * its source with its ports active on the destination. Here the kill comes while the driver
   * moves the server, after the port's bindings were put in that state by hand.
   */
  @Test
  void killedDuringALiveMigrationPostMigrationThePortIsActiveAgainWhereTheServerIs() throws Exception {
    Path data = dir.resolve("data");
    String server;
    String source;
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      String networkId = Cloud.network(admin, "crash-net", "10.94.0.0/24");
      server = Cloud.bootActive(admin, Cloud.cirros(admin), networkId, "crash-post-live");
      source = Cloud.server(admin, server).get("OS-EXT-SRV-ATTR:host").asText();
      slow(admin, "live_migrate");
      admin.withHeader("X-OpenStack-Nova-API-Version", "2.30")
          .post(NOVA + "/servers/" + server + "/action", "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}")
          .expect(202);
      Api v223 = admin.withHeader("X-OpenStack-Nova-API-Version", "2.23");
      Await.until(
          () -> v223.get(NOVA + "/servers/" + server + "/migrations").expect(200).at("/migrations/0/status").asText().equals("running"),
          "the migration to run");
      String dest = v223.get(NOVA + "/servers/" + server + "/migrations").expect(200).at("/migrations/0/dest_compute").asText();
      for (String portId : interfaces(admin, server)) {
        admin.put(NET + "/ports/" + portId + "/bindings/" + dest + "/activate", "{}").expect(200);
        admin.delete(NET + "/ports/" + portId + "/bindings/" + source).expect(204);
      }
      settle();
      kiln.kill();
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      Await.until(() -> taskState(admin, server) == null, RECOVERY, "the migration to be rolled back after the restart");
      String host = Cloud.server(admin, server).get("OS-EXT-SRV-ATTR:host").asText();
      assertThat(host).isEqualTo(source);
      for (String portId : interfaces(admin, server)) {
        JsonNode bindings = admin.get(NET + "/ports/" + portId + "/bindings").expect(200).get("bindings");
        assertThat(bindings).as("bindings of " + portId).hasSize(1);
        assertThat(bindings.get(0).get("host").asText()).isEqualTo(host);
        assertThat(bindings.get(0).get("status").asText()).isEqualTo("ACTIVE");
      }
    }
  }

  /**
   * A live migration connects each volume on the destination (a second attachment) before the
   * driver moves the server; a node killed then, and the server deleted before the survivor takes
   * the migration over, must not leave that attachment behind: the volume would stay attaching.
   */
  @Test
  void serverDeletedAfterAKilledLiveMigrationLeavesItsVolumesAvailable() throws Exception {
    Path data = dir.resolve("data");
    String server;
    String volume;
    String cinder;
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      String project = admin.get("/identity/v3/projects?name=admin").expect(200).at("/projects/0/id").asText();
      cinder = "/volume/v3/" + project;
      String networkId = Cloud.network(admin, "crash-net", "10.95.0.0/24");
      server = Cloud.bootActive(admin, Cloud.cirros(admin), networkId, "crash-live-delete");
      volume = Cloud.availableVolume(admin, cinder, "crash-vol");
      admin.post(NOVA + "/servers/" + server + "/os-volume_attachments", "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}")
          .expect(200);
      String cinderRoot = cinder;
      Await.until(() -> Cloud.volumeStatus(admin, cinderRoot, volume).equals("in-use"), "volume in-use");
      slow(admin, "live_migrate");
      admin.withHeader("X-OpenStack-Nova-API-Version", "2.30")
          .post(NOVA + "/servers/" + server + "/action", "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}")
          .expect(202);
      Api v223 = admin.withHeader("X-OpenStack-Nova-API-Version", "2.23");
      Await.until(
          () -> v223.get(NOVA + "/servers/" + server + "/migrations").expect(200).at("/migrations/0/status").asText().equals("running"),
          "the migration to run");
      settle();
      kiln.kill();
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      admin.delete(NOVA + "/servers/" + server).expect(204);
      Cloud.awaitGone(admin, server);
      Await.until(() -> Cloud.volumeStatus(admin, cinder, volume).equals("available"), RECOVERY,
          "the volume to be available");
      Api v327 = admin.withHeader("OpenStack-API-Version", "volume 3.27");
      assertThat(v327.get(cinder + "/attachments/detail?volume_id=" + volume).expect(200).get("attachments")).isEmpty();
    }
  }

  @Test
  void killedDuringAShelveOffloadAndAnUnshelveEachIsFinishedAfterTheRestart() throws Exception {
    Path data = dir.resolve("data");
    String server;
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      String networkId = Cloud.network(admin, "shelve-net", "10.93.0.0/24");
      server = Cloud.bootActive(admin, Cloud.cirros(admin), networkId, "crash-shelve");
      slow(admin, "destroy");
      admin.post(NOVA + "/servers/" + server + "/action", "{\"shelve\": null}").expect(202);
      Await.until(() -> "shelving_offloading".equals(taskState(admin, server)), "the offload to be under way");
      settle();
      kiln.kill();
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      Await.until(() -> taskState(admin, server) == null, RECOVERY, "the offload to be finished after the restart");
      JsonNode shelved = Cloud.server(admin, server);
      assertThat(shelved.get("status").asText()).isEqualTo("SHELVED_OFFLOADED");
      assertThat(shelved.get("OS-EXT-SRV-ATTR:host").isNull()).isTrue();
      assertThat(vcpusClaimed(admin)).isZero();
      admin.delete(NOVA + "/os-kiln-faults/destroy").expect(204);
      slow(admin, "spawn");
      admin.post(NOVA + "/servers/" + server + "/action", "{\"unshelve\": null}").expect(202);
      Await.until(() -> vcpusClaimed(admin) == 1, "the unshelve to have placed the server");
      settle();
      kiln.kill();
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      Await.until(() -> taskState(admin, server) == null, RECOVERY, "the unshelve to be finished after the restart");
      assertThat(Cloud.serverStatus(admin, server)).isEqualTo("ACTIVE");
      assertThat(vcpusClaimed(admin)).isEqualTo(1); // one claim, not one per attempt
      assertThat(portsNaming(admin, server)).hasSize(1);
    }
  }

  @Test
  void killedDuringARescueTheRescueIsFinishedAfterTheRestart() throws Exception {
    Path data = dir.resolve("data");
    String server;
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      server = Cloud.awaitActive(admin, Cloud.boot(admin, Cloud.cirros(admin), "[]", "crash-rescue"));
      slow(admin, "rescue");
      admin.post(NOVA + "/servers/" + server + "/action", "{\"rescue\": null}").expect(200);
      Await.until(() -> "rescuing".equals(taskState(admin, server)), "the rescue to be under way");
      settle();
      kiln.kill();
    }
    try (ChildKiln kiln = ChildKiln.start(data)) {
      Api admin = kiln.admin();
      Await.until(() -> taskState(admin, server) == null, RECOVERY, "the rescue to be finished after the restart");
      assertThat(Cloud.serverStatus(admin, server)).isEqualTo("RESCUE");
    }
  }

  private static long vcpusClaimed(Api admin) {
    long used = 0;
    for (JsonNode h : admin.get(NOVA + "/os-hypervisors/detail").expect(200).get("hypervisors")) {
      used += h.get("vcpus_used").asLong();
    }
    return used;
  }

  /**
   * Lets what was acknowledged reach the disk before the kill (the embedded store writes its log a
   * moment after a commit until the store's own durability work lands), while the 20 s driver call
   * is still under way: the kill then interrupts the operation, not the writes before it.
   */
  private static void settle() throws InterruptedException {
    Thread.sleep(1500);
  }

  /** Makes the driver's {@code operation} take 20 s, long enough to kill Kiln in the middle. */
  private static void slow(Api admin, String operation) {
    admin.put(NOVA + "/os-kiln-faults/" + operation, "{\"kiln_fault\": {\"latency_ms\": 20000}}").expect(200);
  }

  private static Thread inBackground(Runnable request) {
    return Thread.ofVirtual().start(() -> {
      try {
        request.run();
      } catch (RuntimeException e) {
        // the node is killed under the request: no answer is expected
      }
    });
  }

  private static String taskState(Api admin, String server) {
    JsonNode state = Cloud.server(admin, server).get("OS-EXT-STS:task_state");
    return state.isNull() ? null : state.asText();
  }

  private static List<String> interfaces(Api admin, String server) {
    List<String> ids = new ArrayList<>();
    admin.get(NOVA + "/servers/" + server + "/os-interface").expect(200).get("interfaceAttachments")
        .forEach(i -> ids.add(i.get("port_id").asText()));
    return ids;
  }

  private static List<String> portsNaming(Api admin, String server) {
    List<String> ids = new ArrayList<>();
    admin.get(NET + "/ports?device_id=" + server).expect(200).get("ports").forEach(p -> ids.add(p.get("id").asText()));
    return ids;
  }
}
