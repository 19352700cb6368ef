package dev.kiln.compute.moves;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.Invariants;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live migration of a server with two ports and two volumes: destination bindings made INACTIVE
 * first, activated after the move and the source ones deleted; volume attachments moved; a
 * binding that cannot be made, a driver fault or an abort leave everything on the source.
 */
class LiveMigrationApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String cinder;
  private static String imageId;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin().withHeader("X-OpenStack-Nova-API-Version", "2.79");
    Tenant tenant = Tenant.create(kiln, admin, "lm", "lm-user");
    String project = tenant.projectId();
    member = tenant.atNova("2.79");
    cinder = tenant.cinder();
    Cloud.unlimitedVolumes(admin, project);
    imageId = Cloud.cirros(member);
    networkId = Cloud.network(member, "lmnet", "10.6.0.0/24");
  }

  @AfterEach
  void clearFaults() {
    admin.delete(NOVA + "/os-kiln-faults/live_migrate").expect(204);
  }

  private static void await(BooleanSupplier condition, String what) {
    Await.until(condition, Duration.ofSeconds(15), what);
  }

  private static JsonNode server(String id) {
    return admin.get(NOVA + "/servers/" + id).expect(200).get("server");
  }

  private static String volumeStatus(String id) {
    return Cloud.volumeStatus(member, cinder, id);
  }

  private static String bootableVolume(String name) {
    String id =
        member.post(cinder + "/volumes", "{\"volume\": {\"name\": \"" + name + "\", \"size\": 1, \"imageRef\": \"" + imageId + "\"}}").expect(202)
            .at("/volume/id").asText();
    return Cloud.awaitAvailable(member, cinder, id, Duration.ofSeconds(15), name + " available");
  }

  private static String dataVolume(String name) {
    String id =
        member.post(cinder + "/volumes", "{\"volume\": {\"name\": \"" + name + "\", \"size\": 1}}").expect(202).at("/volume/id").asText();
    return Cloud.awaitAvailable(member, cinder, id, Duration.ofSeconds(15), name + " available");
  }

  /** A server booted from a volume, with a port Compute made and a user's port, and a data volume. */
  private record Fixture(String server, String userPort, String computePort, String bootVolume, String dataVolume) {
    List<String> ports() {
      return List.of(userPort, computePort);
    }

    List<String> volumes() {
      return List.of(bootVolume, dataVolume);
    }
  }

  private static Fixture fixture(String name) {
    String userPort =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
    String boot = bootableVolume(name + "-root");
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"networks\": [{\"uuid\": \"" + networkId
                + "\"}, {\"port\": \"" + userPort + "\"}], \"block_device_mapping_v2\": [{\"boot_index\": 0, \"uuid\": \""
                + boot + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}}").expect(202)
            .at("/server/id").asText();
    await(() -> server(id).get("status").asText().equals("ACTIVE"), name + " active");
    String data = dataVolume(name + "-data");
    member.post(NOVA + "/servers/" + id + "/os-volume_attachments", "{\"volumeAttachment\": {\"volumeId\": \"" + data + "\"}}").expect(200);
    await(() -> volumeStatus(data).equals("in-use"), "data volume in-use");
    String computePort = null;
    for (JsonNode p : admin.get(NET + "/ports?device_id=" + id).expect(200).get("ports")) {
      if (!p.get("id").asText().equals(userPort)) {
        computePort = p.get("id").asText();
      }
    }
    return new Fixture(id, userPort, computePort, boot, data);
  }

  private static JsonNode bindings(String portId) {
    return admin.get(NET + "/ports/" + portId + "/bindings").expect(200).get("bindings");
  }

  private static JsonNode attachments(String volumeId) {
    return member.withHeader("OpenStack-API-Version", "volume 3.27").get(cinder + "/attachments/detail?volume_id=" + volumeId).expect(200)
        .get("attachments");
  }

  private static String otherHost(String host) {
    for (JsonNode h : admin.get(NOVA + "/os-hypervisors").expect(200).get("hypervisors")) {
      if (!h.get("hypervisor_hostname").asText().equals(host)) {
        return h.get("hypervisor_hostname").asText();
      }
    }
    throw new AssertionError("one host only");
  }

  private static JsonNode liveMigration(String serverId) {
    JsonNode migrations = admin.get(NOVA + "/os-migrations?instance_uuid=" + serverId + "&migration_type=live-migration").expect(200)
        .get("migrations");
    assertThat(migrations).isNotEmpty();
    return migrations.get(0);
  }

  private static void assertAllOn(Fixture f, String host) {
    for (String port : f.ports()) {
      JsonNode p = admin.get(NET + "/ports/" + port).expect(200).get("port");
      assertThat(p.get("binding:host_id").asText()).as("port " + port).isEqualTo(host);
      JsonNode bindings = bindings(port);
      assertThat(bindings).as("bindings of " + port).hasSize(1);
      assertThat(bindings.at("/0/host").asText()).isEqualTo(host);
      assertThat(bindings.at("/0/status").asText()).isEqualTo("ACTIVE");
    }
    for (String volume : f.volumes()) {
      assertThat(volumeStatus(volume)).isEqualTo("in-use");
      JsonNode records = attachments(volume);
      assertThat(records).as("attachments of " + volume).hasSize(1);
      assertThat(records.at("/0/status").asText()).isEqualTo("attached");
      // Cinder shows an attachment's host_name only to admins.
      JsonNode onVolume = admin.get(cinder + "/volumes/" + volume).expect(200).at("/volume/attachments");
      assertThat(onVolume).hasSize(1);
      assertThat(onVolume.at("/0/host_name").asText()).as("attachment host of " + volume).isEqualTo(host);
    }
    JsonNode s = server(f.server());
    assertThat(s.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(host);
    assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(s.get("OS-EXT-STS:task_state").isNull()).isTrue();
  }

  @Test
  void liveMigrationMovesBindingsAttachmentsAndTheClaim() {
    Fixture f = fixture("lm-ok");
    String source = server(f.server()).get("OS-EXT-SRV-ATTR:host").asText();
    String dest = otherHost(source);
    admin.post(NOVA + "/servers/" + f.server() + "/action",
        "{\"os-migrateLive\": {\"host\": \"" + dest + "\", \"block_migration\": \"auto\"}}").expect(202);
    await(() -> liveMigration(f.server()).get("status").asText().equals("completed"), "migration completed");
    assertAllOn(f, dest);
    JsonNode migration = liveMigration(f.server());
    assertThat(migration.get("source_compute").asText()).isEqualTo(source);
    assertThat(migration.get("dest_compute").asText()).isEqualTo(dest);
    assertThat(admin.get(NOVA + "/servers/" + f.server() + "/migrations").expect(200).get("migrations")).isEmpty();
    new Invariants(kiln.running(), admin).assertConsistent();

    // Without a host the scheduler picks one that is not the current host.
    admin.post(NOVA + "/servers/" + f.server() + "/action",
        "{\"os-migrateLive\": {\"host\": null, \"block_migration\": false}}").expect(202);
    await(() -> !server(f.server()).get("OS-EXT-SRV-ATTR:host").asText().equals(dest)
        && server(f.server()).get("OS-EXT-STS:task_state").isNull(), "moved again");
    assertAllOn(f, server(f.server()).get("OS-EXT-SRV-ATTR:host").asText());
    new Invariants(kiln.running(), admin).assertConsistent();
  }

  @Test
  void aBindingThatCannotBeMadeAbortsBeforeAnythingMoves() {
    Fixture f = fixture("lm-bind");
    String source = server(f.server()).get("OS-EXT-SRV-ATTR:host").asText();
    String dest = otherHost(source);
    // The user's port already has a binding on the destination: Networking refuses another.
    admin.post(NET + "/ports/" + f.userPort() + "/bindings", "{\"binding\": {\"host\": \"" + dest + "\"}}").expect(201);
    admin.post(NOVA + "/servers/" + f.server() + "/action",
        "{\"os-migrateLive\": {\"host\": \"" + dest + "\", \"block_migration\": \"auto\"}}").expect(202);
    await(() -> liveMigration(f.server()).get("status").asText().equals("error"), "migration in error");
    JsonNode s = server(f.server());
    assertThat(s.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(source);
    assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
    // Compute's port got no destination binding; the user's has only the one the test made.
    assertThat(bindings(f.computePort())).hasSize(1);
    admin.delete(NET + "/ports/" + f.userPort() + "/bindings/" + dest).expect(204);
    assertAllOn(f, source);
    JsonNode actions = admin.get(NOVA + "/servers/" + f.server() + "/os-instance-actions").expect(200).get("instanceActions");
    JsonNode action = admin.get(NOVA + "/servers/" + f.server() + "/os-instance-actions/" + actions.get(0).get("request_id").asText()).expect(200)
        .get("instanceAction");
    assertThat(action.get("action").asText()).isEqualTo("live-migration");
    assertThat(action.at("/events/0/result").asText()).isEqualTo("Error");
    new Invariants(kiln.running(), admin).assertConsistent();
  }

  @Test
  void aDriverFaultLeavesTheServerOnItsSource() {
    Fixture f = fixture("lm-fault");
    String source = server(f.server()).get("OS-EXT-SRV-ATTR:host").asText();
    admin.put(NOVA + "/os-kiln-faults/live_migrate", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    admin.post(NOVA + "/servers/" + f.server() + "/action",
        "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}").expect(202);
    await(() -> liveMigration(f.server()).get("status").asText().equals("error"), "migration in error");
    assertAllOn(f, source);
    new Invariants(kiln.running(), admin).assertConsistent();
  }

  @Test
  void aServerDeletedWhileItLiveMigratesLeavesItsUserPortFree() {
    String userPort =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
    String id =
        member.post(NOVA + "/servers", "{\"server\": {\"name\": \"lm-doomed\", \"flavorRef\": \"1\", \"imageRef\": \""
            + imageId + "\", \"networks\": [{\"port\": \"" + userPort + "\"}]}}").expect(202).at("/server/id").asText();
    await(() -> server(id).get("status").asText().equals("ACTIVE"), "lm-doomed active");
    admin.put(NOVA + "/os-kiln-faults/live_migrate", "{\"kiln_fault\": {\"latency_ms\": 1500}}").expect(200);
    admin.post(NOVA + "/servers/" + id + "/action", "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}")
        .expect(202);
    await(() -> server(id).get("status").asText().equals("MIGRATING"), "lm-doomed migrating");

    member.delete(NOVA + "/servers/" + id).expect(204);
    await(() -> admin.get(NOVA + "/servers/" + id).status() == 404, "lm-doomed gone");
    // The migration's post step comes after the delete (the driver call takes 1.5 s): it must not
    // plug the port the delete gave back into the server that is gone.
    await(() -> !liveMigration(id).get("status").asText().matches("queued|preparing|running|post-migrating"),
        "migration over");

    JsonNode port = admin.get(NET + "/ports/" + userPort).expect(200).get("port");
    assertThat(port.get("device_id").asText()).isEmpty();
    assertThat(bindings(userPort)).isEmpty();
    new Invariants(kiln.running(), admin).assertConsistent();
  }

  @Test
  void anAbortWhileRunningRollsBackAndForceCompleteIsAccepted() {
    Fixture f = fixture("lm-abort");
    String source = server(f.server()).get("OS-EXT-SRV-ATTR:host").asText();
    admin.put(NOVA + "/os-kiln-faults/live_migrate", "{\"kiln_fault\": {\"latency_ms\": 1500}}").expect(200);
    admin.post(NOVA + "/servers/" + f.server() + "/action",
        "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}").expect(202);
    List<JsonNode> running = new ArrayList<>();
    await(() -> {
      JsonNode list = admin.get(NOVA + "/servers/" + f.server() + "/migrations").expect(200).get("migrations");
      if (list.size() == 1 && list.get(0).get("status").asText().equals("running")) {
        running.add(list.get(0));
        return true;
      }
      return false;
    }, "migration running");
    long id = running.getFirst().get("id").asLong();
    assertThat(server(f.server()).get("status").asText()).isEqualTo("MIGRATING");
    // While it runs, each port is bound on both hosts: ACTIVE on the source, INACTIVE on the destination.
    String dest = running.getFirst().get("dest_compute").asText();
    for (String port : f.ports()) {
      JsonNode bindings = bindings(port);
      assertThat(bindings).hasSize(2);
      for (JsonNode b : bindings) {
        assertThat(b.get("status").asText()).isEqualTo(b.get("host").asText().equals(source) ? "ACTIVE" : "INACTIVE");
        assertThat(b.get("host").asText()).isIn(source, dest);
      }
    }
    admin.get(NOVA + "/servers/" + f.server() + "/migrations/" + id).expect(200);
    member.post(NOVA + "/servers/" + f.server() + "/migrations/" + id + "/action", "{\"force_complete\": null}").expect(403);
    admin.post(NOVA + "/servers/" + f.server() + "/migrations/" + id + "/action", "{\"force_complete\": null}").expect(202);
    admin.delete(NOVA + "/servers/" + f.server() + "/migrations/" + id).expect(202);
    await(() -> liveMigration(f.server()).get("status").asText().equals("cancelled"), "migration cancelled");
    assertAllOn(f, source);
    admin.delete(NOVA + "/servers/" + f.server() + "/migrations/" + id).expect(400);
    new Invariants(kiln.running(), admin).assertConsistent();
  }

  @Test
  void badRequestsAreRefusedAndMoveNothing() {
    Fixture f = fixture("lm-bad");
    String source = server(f.server()).get("OS-EXT-SRV-ATTR:host").asText();
    String body = "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}";
    member.post(NOVA + "/servers/" + f.server() + "/action", body).expect(403);
    admin.post(NOVA + "/servers/" + f.server() + "/action",
        "{\"os-migrateLive\": {\"host\": \"nowhere\", \"block_migration\": \"auto\"}}").expect(400);
    assertThat(admin.post(NOVA + "/servers/" + f.server() + "/action",
            "{\"os-migrateLive\": {\"host\": \"" + source + "\", \"block_migration\": \"auto\"}}").expect(400)
        .at("/badRequest/message").asText()).contains("current host");
    admin.post(NOVA + "/servers/" + f.server() + "/action", "{\"os-migrateLive\": {\"host\": null}}").expect(400);
    admin.post(NOVA + "/servers/" + f.server() + "/action",
        "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\", \"force\": true}}").expect(400);
    member.post(NOVA + "/servers/" + f.server() + "/action", "{\"os-stop\": null}").expect(202);
    await(() -> server(f.server()).get("status").asText().equals("SHUTOFF"), "stopped");
    assertThat(admin.post(NOVA + "/servers/" + f.server() + "/action", body).expect(409)
        .at("/conflictingRequest/message").asText()).contains("vm_state stopped");
    assertThat(admin.get(NOVA + "/os-migrations?instance_uuid=" + f.server()).expect(200).get("migrations")).isEmpty();
  }

  @Test
  void theCliLiveMigratesAndListsMigrations() {
    Fixture f = fixture("lm-cli");
    String source = server(f.server()).get("OS-EXT-SRV-ATTR:host").asText();
    String dest = otherHost(source);
    OpenStackCli cli = kiln.adminCli();
    cli.ok("--os-compute-api-version", "2.30", "server", "migrate", "--live-migration", "--host", dest, "--wait", f.server());
    assertAllOn(f, dest);
    String listed = cli.ok("--os-compute-api-version", "2.59", "server", "migration", "list", "--server", f.server());
    assertThat(listed).contains("live-migration").contains("completed").contains(dest);
  }
}
