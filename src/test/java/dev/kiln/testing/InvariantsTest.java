package dev.kiln.testing;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Invariants.Violation;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The invariant checker: quiet on a cloud with servers, ports and volumes in use, and exact about
 * state an admin broke on purpose through the API.
 */
class InvariantsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.withHosts(List.of("kiln-compute-1", "kiln-compute-2"));
  private static Api admin;
  private static Api member;
  private static String cinder;
  private static String adminCinder;
  private static Invariants invariants;
  private static String networkServer;
  private static String spareVolume;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "inv", "inv-user");
    member = tenant.atNova("2.37");
    cinder = tenant.cinder();
    adminCinder = "/volume/v3/" + admin.get("/identity/v3/auth/projects").json().at("/projects/0/id").asText();
    invariants = new Invariants(kiln.running(), admin);

    String imageId = Cloud.cirros(member);
    String networkId = Cloud.network(member, "inv-net", "10.9.0.0/24");
    // A server with a port Compute makes, one with the user's own port, one booted from a volume.
    networkServer =
        boot("{\"name\": \"inv-1\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": [{\"uuid\": \"" + networkId + "\"}]}");
    String port = member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
    boot("{\"name\": \"inv-2\", \"flavorRef\": \"2\", \"imageRef\": \"" + imageId + "\", \"networks\": [{\"port\": \"" + port + "\"}]}");
    String root = Cloud.availableVolume(member, cinder, "inv-root");
    member.post(cinder + "/volumes/" + root + "/action", "{\"os-set_bootable\": {\"bootable\": true}}").expect(200);
    boot("{\"name\": \"inv-3\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping_v2\": [{\"boot_index\": 0,"
        + " \"uuid\": \"" + root + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}");
    spareVolume = Cloud.availableVolume(member, cinder, "inv-spare");
  }

  private static String boot(String server) {
    return Cloud.awaitActive(member, member.post(NOVA + "/servers", "{\"server\": " + server + "}").expect(202).at("/server/id").asText());
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

  /**
   * What the two-node crash harness found once: a move's attachment left behind, still naming its
   * server after the volume's detach; here one made by hand for a server that lists no volume.
   */
  @Test
  void anAttachmentToAServerThatDoesNotListItsVolumeIsReported() {
    whileSpareVolumeIsReservedFor(networkServer, attachment ->
        assertThat(invariants.violations()).extracting(Violation::rule, Violation::subject)
            .containsExactlyInAnyOrder(tuple("attachment-not-on-server", attachment), tuple("volume-stuck", spareVolume)));
  }

  /** What the two-node crash harness found once: a reservation that outlived its server. */
  @Test
  void aVolumeReservedForAServerThatDoesNotExistIsReported() {
    whileSpareVolumeIsReservedFor(java.util.UUID.randomUUID().toString(), attachment ->
        assertThat(invariants.violations()).extracting(Violation::rule, Violation::subject)
            .containsExactlyInAnyOrder(tuple("attachment-of-missing-server", attachment), tuple("volume-stuck", spareVolume)));
  }

  /**
   * Runs {@code check} (given the attachment's id) while the spare volume has an attachment made
   * through Block Storage's API for {@code instance}; then the cloud is consistent again.
   */
  private static void whileSpareVolumeIsReservedFor(String instance, java.util.function.Consumer<String> check) {
    Api v327 = admin.withHeader("OpenStack-API-Version", "volume 3.27");
    String attachment =
        v327.post(adminCinder + "/attachments",
                "{\"attachment\": {\"volume_uuid\": \"" + spareVolume + "\", \"instance_uuid\": \"" + instance + "\"}}")
            .expect(200).at("/attachment/id").asText();
    try {
      check.accept(attachment);
    } finally {
      v327.delete(adminCinder + "/attachments/" + attachment).expect(200);
    }
    invariants.assertConsistent();
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
