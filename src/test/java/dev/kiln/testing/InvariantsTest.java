package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Invariants.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invariant checker: quiet on a cloud with servers, ports and volumes in use, and exact about
 * state an admin broke on purpose through the API.
 */
class InvariantsTest {
  private static final String NOVA = "/compute/v2.1";
  private static final String NET = "/networking/v2.0";

  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;
  private static Api member;
  private static String cinder;
  private static String adminCinder;
  private static Invariants invariants;
  private static String networkServer;
  private static String spareVolume;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.withHosts(dataDir, List.of("kiln-compute-1", "kiln-compute-2"));
    Api anonymous = kiln.api();
    admin = anonymous.withToken(anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
    String project = admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"inv\"}}").json().at("/project/id").asText();
    String user =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"inv-user\", \"password\": \"pw\"}}").json().at("/user/id").asText();
    String role = admin.get("/identity/v3/roles?name=member").json().at("/roles/0/id").asText();
    admin.put("/identity/v3/projects/" + project + "/users/" + user + "/roles/" + role, null);
    member = anonymous.withToken(anonymous.token("inv-user", "pw", "inv")).withHeader("X-OpenStack-Nova-API-Version", "2.37");
    cinder = "/volume/v3/" + project;
    adminCinder = "/volume/v3/" + admin.get("/identity/v3/auth/projects").json().at("/projects/0/id").asText();
    invariants = new Invariants(kiln, admin);

    String imageId = member.get("/image/v2/images?name=cirros").expect(200).at("/images/0/id").asText();
    String networkId = member.post(NET + "/networks", "{\"network\": {\"name\": \"inv-net\"}}").expect(201).at("/network/id").asText();
    member.post(
        NET + "/subnets",
        "{\"subnet\": {\"network_id\": \"" + networkId + "\", \"ip_version\": 4, \"cidr\": \"10.9.0.0/24\"}}").expect(201);
    // A server with a port Compute makes, one with the user's own port, one booted from a volume.
    networkServer =
        boot("{\"name\": \"inv-1\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": [{\"uuid\": \"" + networkId + "\"}]}");
    String port = member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
    boot("{\"name\": \"inv-2\", \"flavorRef\": \"2\", \"imageRef\": \"" + imageId + "\", \"networks\": [{\"port\": \"" + port + "\"}]}");
    String root = availableVolume("inv-root");
    member.post(cinder + "/volumes/" + root + "/action", "{\"os-set_bootable\": {\"bootable\": true}}").expect(200);
    boot("{\"name\": \"inv-3\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping_v2\": [{\"boot_index\": 0,"
        + " \"uuid\": \"" + root + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}");
    spareVolume = availableVolume("inv-spare");
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static String boot(String server) {
    String id = member.post(NOVA + "/servers", "{\"server\": " + server + "}").expect(202).at("/server/id").asText();
    await(() -> !member.get(NOVA + "/servers/" + id).expect(200).at("/server/status").asText().equals("BUILD"), id + " built");
    assertThat(member.get(NOVA + "/servers/" + id).expect(200).at("/server/status").asText()).isEqualTo("ACTIVE");
    return id;
  }

  private static String availableVolume(String name) {
    String id = member.post(cinder + "/volumes", "{\"volume\": {\"name\": \"" + name + "\", \"size\": 1}}").expect(202).at("/volume/id").asText();
    await(() -> member.get(cinder + "/volumes/" + id).expect(200).at("/volume/status").asText().equals("available"), name);
    return id;
  }

  private static void resetVolume(String id, String status) {
    admin.post(adminCinder + "/volumes/" + id + "/action", "{\"os-reset_status\": {\"status\": \"" + status + "\"}}").expect(202);
  }

  @Test
  void aCloudInUseIsConsistentAndAVolumeResetToInUseWithoutAttachmentIsReportedAlone() {
    invariants.assertConsistent();
    resetVolume(spareVolume, "in-use");
    try {
      assertThat(invariants.violations())
          .containsExactly(
              new Violation("in-use-volume-without-attachment", spareVolume, "volume is in-use but has no attachment"));
      assertThatThrownBy(invariants::assertConsistent).isInstanceOf(AssertionError.class).hasMessageContaining(spareVolume);
    } finally {
      resetVolume(spareVolume, "available");
    }
    invariants.assertConsistent();
  }

  @Test
  void aVolumeLeftReservedWithNoServerAtWorkIsStuck() {
    resetVolume(spareVolume, "reserved");
    try {
      assertThat(invariants.violations()).extracting(Violation::rule, Violation::subject)
          .containsExactly(tuple("volume-stuck", spareVolume));
    } finally {
      resetVolume(spareVolume, "available");
    }
  }

  @Test
  void aPortReboundToAnotherHostThanItsServersIsReported() {
    JsonNode server = admin.get(NOVA + "/servers/" + networkServer).expect(200).get("server");
    String host = server.get("OS-EXT-SRV-ATTR:host").asText();
    String other = host.equals("kiln-compute-1") ? "kiln-compute-2" : "kiln-compute-1";
    String port = admin.get(NET + "/ports?device_id=" + networkServer).expect(200).at("/ports/0/id").asText();
    admin.put(NET + "/ports/" + port, "{\"port\": {\"binding:host_id\": \"" + other + "\"}}").expect(200);
    try {
      assertThat(invariants.violations()).extracting(Violation::rule, Violation::subject)
          .containsExactly(tuple("port-binding-host-mismatch", port));
    } finally {
      admin.put(NET + "/ports/" + port, "{\"port\": {\"binding:host_id\": \"" + host + "\"}}").expect(200);
    }
    invariants.assertConsistent();
  }
}
