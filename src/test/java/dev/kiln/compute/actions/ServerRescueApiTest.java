package dev.kiln.compute.actions;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rescue and unrescue as Nova has them, and what a rescued server refuses. */
class ServerRescueApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String imageId;
  private static Tenant tenant;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    tenant = Tenant.create(kiln, admin, "rescue", "rescueuser");
    member = tenant.api();
    imageId = Cloud.cirros(member);
    networkId = Cloud.network(member, "rescue-net", "10.61.0.0/24");
  }

  private static String activeServer(String name) {
    String id = Cloud.boot(member, imageId, "[]", name);
    Cloud.awaitSettled(admin, id, "ACTIVE");
    return id;
  }

  private static Api.Response act(Api api, String id, String body) {
    return api.post(NOVA + "/servers/" + id + "/action", body);
  }

  @Test
  void rescueShowsRescueAndGivesTheAdminPassThenUnrescueBringsItBack() {
    String id = activeServer("rescued");
    Api.Response rescued = act(member, id, "{\"rescue\": {\"adminPass\": \"s3cret\"}}");
    assertThat(rescued.status()).as(rescued.toString()).isEqualTo(200);
    assertThat(rescued.json().get("adminPass").asText()).isEqualTo("s3cret");
    JsonNode server = Cloud.awaitSettled(admin, id, "RESCUE");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("rescued");
    assertThat(server.get("OS-EXT-STS:power_state").asInt()).isEqualTo(1);

    Api.Response unrescued = act(member, id, "{\"unrescue\": null}");
    assertThat(unrescued.status()).isEqualTo(202);
    server = Cloud.awaitSettled(admin, id, "ACTIVE");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("active");

    // With no body a password is made up; with an image, that image must exist.
    Api.Response generated = act(member, id, "{\"rescue\": null}");
    assertThat(generated.status()).isEqualTo(200);
    assertThat(generated.json().get("adminPass").asText()).hasSize(12);
    Cloud.awaitSettled(admin, id, "RESCUE");
    assertThat(member.get(NOVA + "/servers/" + id + "/os-instance-actions").expect(200).findValuesAsText("action"))
        .contains("rescue", "unrescue");
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void aRescuedServerRefusesRebootRebuildAndVolumeChangesButTakesSecurityGroups() {
    String id = Cloud.bootActive(member, imageId, networkId, "refusing");
    act(member, id, "{\"rescue\": null}").expect(200);
    Cloud.awaitSettled(admin, id, "RESCUE");

    Api.Response reboot = act(member, id, "{\"reboot\": {\"type\": \"HARD\"}}");
    assertThat(reboot.status()).isEqualTo(409);
    assertThat(reboot.json().at("/conflictingRequest/message").asText())
        .isEqualTo("Cannot 'reboot' instance " + id + " while it is in vm_state rescued");
    assertThat(act(member, id, "{\"rebuild\": {\"imageRef\": \"" + imageId + "\"}}").status()).isEqualTo(409);
    assertThat(act(member, id, "{\"rescue\": null}").status()).isEqualTo(409);
    assertThat(member.post(NOVA + "/servers/" + id + "/os-volume_attachments",
            "{\"volumeAttachment\": {\"volumeId\": \"0b4e1a4e-6f7e-4d1d-9a52-4a1c3f1d2e3f\"}}").status())
        .isIn(404, 409); // Nova checks the volume first; a real one gets the 409 below
    String volume = Cloud.availableVolume(member, cinder(member), "rescue-vol");
    Api.Response attach = member.post(NOVA + "/servers/" + id + "/os-volume_attachments",
        "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}");
    assertThat(attach.status()).as(attach.toString()).isEqualTo(409);

    // Nova changes a rescued server's ports' groups like any other server's.
    String group = member.post("/networking/v2.0/security-groups", "{\"security_group\": {\"name\": \"while-rescued\"}}")
        .expect(201).at("/security_group/id").asText();
    act(member, id, "{\"addSecurityGroup\": {\"name\": \"while-rescued\"}}").expect(202);
    assertThat(member.get(NOVA + "/servers/" + id).expect(200).at("/server/security_groups").findValuesAsText("name"))
        .contains("while-rescued");
    act(member, id, "{\"removeSecurityGroup\": {\"name\": \"while-rescued\"}}").expect(202);
    member.delete(NOVA + "/servers/" + id).expect(204);
    Cloud.awaitGone(admin, id);
    member.delete("/networking/v2.0/security-groups/" + group).expect(204);
  }

  private static String cinder(Api api) {
    return tenant.cinder();
  }

  @Test
  void rescueIsRefusedWhereNovaRefusesIt() {
    String id = activeServer("paused");
    act(member, id, "{\"pause\": null}").expect(202);
    Cloud.awaitSettled(admin, id, "PAUSED");
    Api.Response paused = act(member, id, "{\"rescue\": null}");
    assertThat(paused.status()).isEqualTo(409);
    assertThat(paused.json().at("/conflictingRequest/message").asText())
        .isEqualTo("Cannot 'rescue' instance " + id + " while it is in vm_state paused");
    assertThat(act(member, id, "{\"unrescue\": null}").status()).isEqualTo(409);
    assertThat(act(member, id, "{\"rescue\": {\"rescue_image_ref\": \"not-a-uuid\"}}").status()).isEqualTo(400);
    assertThat(act(member, id, "{\"rescue\": {\"colour\": \"red\"}}").status()).isEqualTo(400);
    act(member, id, "{\"unpause\": null}").expect(202);
    Cloud.awaitSettled(admin, id, "ACTIVE");
    Api.Response missingImage =
        act(member, id, "{\"rescue\": {\"rescue_image_ref\": \"8a4a1e6c-0000-4000-8000-000000000000\"}}");
    assertThat(missingImage.status()).isEqualTo(400);
    assertThat(missingImage.json().at("/badRequest/message").asText()).contains("is not supported");
    assertThat(act(member, "8a4a1e6c-0000-4000-8000-000000000001", "{\"rescue\": null}").status()).isEqualTo(404);
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void ofRacingRescuesExactlyOneWins() throws Exception {
    String id = activeServer("race");
    admin.put(NOVA + "/os-kiln-faults/rescue", "{\"kiln_fault\": {\"latency_ms\": 300}}").expect(200);
    try {
      List<Integer> statuses = Race.run(6, i -> act(member, id, "{\"rescue\": null}").status());
      assertThat(statuses).containsOnly(200, 409);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
      assertThat(member.get(NOVA + "/servers/" + id).expect(200).at("/server/OS-EXT-STS:task_state").asText())
          .isEqualTo("rescuing");
      Cloud.awaitSettled(admin, id, "RESCUE");
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/rescue").expect(204);
    }
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void restoreAndForceDeleteWithSoftDeleteOff() {
    String id = activeServer("restore");
    Api.Response restore = act(member, id, "{\"restore\": null}");
    assertThat(restore.status()).isEqualTo(409);
    assertThat(restore.json().at("/conflictingRequest/message").asText())
        .isEqualTo("Cannot 'restore' instance " + id + " while it is in vm_state active");
    String unknown = "8a4a1e6c-0000-4000-8000-000000000002";
    assertThat(act(member, unknown, "{\"restore\": null}").status()).isEqualTo(404);
    assertThat(act(member, unknown, "{\"forceDelete\": null}").status()).isEqualTo(404);
    act(member, id, "{\"forceDelete\": null}").expect(202);
    Cloud.awaitGone(admin, id);
  }

  @Test
  void diagnosticsPasswordAndExtensionsAnswerAsTempestExpects() {
    String id = activeServer("diag");
    TempestSchemas schemas = new TempestSchemas();
    Api.Response legacy = admin.get(NOVA + "/servers/" + id + "/diagnostics");
    assertThat(legacy.status()).isEqualTo(200);
    assertThat(legacy.json().has("memory")).isTrue();
    Api v248 = admin.withHeader("OpenStack-API-Version", "compute 2.48");
    Api.Response standard = v248.get(NOVA + "/servers/" + id + "/diagnostics");
    schemas.check("compute.v2_48.servers.show_server_diagnostics", standard);
    assertThat(standard.json().at("/memory_details/maximum").asInt()).isPositive();
    assertThat(standard.json().get("state").asText()).isEqualTo("running");
    assertThat(member.get(NOVA + "/servers/" + id + "/diagnostics").status()).isEqualTo(403);

    Api.Response password = member.get(NOVA + "/servers/" + id + "/os-server-password");
    schemas.check("compute.v2_1.servers.show_password", password);
    assertThat(password.json().get("password").asText()).isEmpty();
    assertThat(member.delete(NOVA + "/servers/" + id + "/os-server-password").status()).isEqualTo(204);
    assertThat(member.get(NOVA + "/servers/8a4a1e6c-0000-4000-8000-000000000003/os-server-password").status())
        .isEqualTo(404);

    Api.Response extensions = member.get(NOVA + "/extensions");
    schemas.check("compute.v2_1.extensions.list_extensions", extensions);
    assertThat(extensions.json().get("extensions").findValuesAsText("name")).contains("Hosts", "Rescue", "Shelve");
    assertThat(member.get(NOVA + "/extensions/os-consoles").expect(200).at("/extension/alias").asText())
        .isEqualTo("os-consoles");
    assertThat(member.get(NOVA + "/extensions/os-nothing").status()).isEqualTo(404);
    schemas.verify();
    member.delete(NOVA + "/servers/" + id).expect(204);
  }
}
