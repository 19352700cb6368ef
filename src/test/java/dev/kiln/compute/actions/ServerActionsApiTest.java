package dev.kiln.compute.actions;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server actions over HTTP: power actions, wrong-state conflicts, locks and driver faults. */
class ServerActionsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String imageId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "acts", "actuser");
    member = tenant.api();
    imageId = Cloud.cirros(member);
  }

  private static String activeServer(String name) {
    String id = Cloud.boot(member, imageId, "[]", name);
    waitFor(id, "ACTIVE");
    return id;
  }

  /** Waits until the server has no task and shows {@code status}. */
  private static JsonNode waitFor(String id, String status) {
    return Cloud.awaitSettled(admin, id, status);
  }

  private static Api.Response act(Api api, String id, String body) {
    return api.post(NOVA + "/servers/" + id + "/action", body);
  }

  private static void accepted(Api api, String id, String body) {
    Api.Response r = act(api, id, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void eachPowerActionMovesTheServerAsNovaDoes() {
    String id = activeServer("power");
    accepted(member, id, "{\"os-stop\": null}");
    JsonNode server = waitFor(id, "SHUTOFF");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("stopped");
    assertThat(server.get("OS-EXT-STS:power_state").asInt()).isEqualTo(4);

    accepted(member, id, "{\"os-start\": null}");
    server = waitFor(id, "ACTIVE");
    assertThat(server.get("OS-EXT-STS:power_state").asInt()).isEqualTo(1);

    accepted(member, id, "{\"reboot\": {\"type\": \"SOFT\"}}");
    waitFor(id, "ACTIVE");
    accepted(member, id, "{\"reboot\": {\"type\": \"HARD\"}}");
    waitFor(id, "ACTIVE");

    accepted(member, id, "{\"pause\": null}");
    server = waitFor(id, "PAUSED");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("paused");
    assertThat(server.get("OS-EXT-STS:power_state").asInt()).isEqualTo(3);
    accepted(member, id, "{\"unpause\": null}");
    waitFor(id, "ACTIVE");

    accepted(member, id, "{\"suspend\": null}");
    server = waitFor(id, "SUSPENDED");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("suspended");
    accepted(member, id, "{\"resume\": null}");
    waitFor(id, "ACTIVE");

    // A hard reboot also brings a stopped server back.
    accepted(member, id, "{\"os-stop\": null}");
    waitFor(id, "SHUTOFF");
    accepted(member, id, "{\"reboot\": {\"type\": \"hard\"}}");
    waitFor(id, "ACTIVE");
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void anActionFromTheWrongStateIsAConflictAsNovaWordsIt() {
    String id = activeServer("wrong-state");
    accepted(member, id, "{\"os-stop\": null}");
    waitFor(id, "SHUTOFF");
    Api.Response r = act(member, id, "{\"os-stop\": null}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().at("/conflictingRequest/message").asText())
        .isEqualTo("Cannot 'stop' instance " + id + " while it is in vm_state stopped");
    assertThat(r.json().at("/conflictingRequest/code").asInt()).isEqualTo(409);
    assertThat(act(member, id, "{\"pause\": null}").status()).isEqualTo(409);
    assertThat(act(member, id, "{\"reboot\": {\"type\": \"SOFT\"}}").status()).isEqualTo(409);
    assertThat(act(member, id, "{\"resume\": null}").status()).isEqualTo(409);
    assertThat(act(member, id, "{\"reboot\": {\"type\": \"GENTLE\"}}").status()).isEqualTo(400);
    assertThat(act(member, id, "{\"levitate\": null}").status()).isEqualTo(400);
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void ofRacingActionsExactlyOneWins() throws Exception {
    String id = activeServer("race");
    admin.put(NOVA + "/os-kiln-faults/power_off", "{\"kiln_fault\": {\"latency_ms\": 300}}").expect(200);
    try {
      List<Integer> statuses = Race.run(6, i -> act(member, id, "{\"os-stop\": null}").status());
      assertThat(statuses).containsOnly(202, 409);
      assertThat(statuses.stream().filter(s -> s == 202).count()).isEqualTo(1);
      JsonNode during = member.get(NOVA + "/servers/" + id).expect(200).get("server");
      assertThat(during.get("OS-EXT-STS:task_state").asText()).isEqualTo("powering-off");
      assertThat(during.get("status").asText()).isEqualTo("ACTIVE");
      waitFor(id, "SHUTOFF");
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/power_off").expect(204);
    }
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void aLockedServerRefusesMembersButNotAdmins() {
    String id = activeServer("locked");
    assertThat(act(member, id, "{\"lock\": {\"locked_reason\": \"no\"}}").status()).isEqualTo(400); // before 2.73
    Api v273 = admin.withHeader("OpenStack-API-Version", "compute 2.73");
    accepted(v273, id, "{\"lock\": {\"locked_reason\": \"maintenance\"}}");
    JsonNode shown = v273.get(NOVA + "/servers/" + id).expect(200).get("server");
    assertThat(shown.get("locked").asBoolean()).isTrue();
    assertThat(shown.get("locked_reason").asText()).isEqualTo("maintenance");

    Api.Response r = act(member, id, "{\"os-stop\": null}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().at("/conflictingRequest/message").asText()).isEqualTo("Instance " + id + " is locked");
    assertThat(member.delete(NOVA + "/servers/" + id).status()).isEqualTo(409);
    // An admin's lock is not a member's to lift.
    assertThat(act(member, id, "{\"unlock\": null}").status()).isEqualTo(403);
    accepted(admin, id, "{\"pause\": null}");
    waitFor(id, "PAUSED");

    accepted(admin, id, "{\"unlock\": null}");
    shown = v273.get(NOVA + "/servers/" + id).expect(200).get("server");
    assertThat(shown.get("locked").asBoolean()).isFalse();
    assertThat(shown.get("locked_reason").isNull()).isTrue();
    accepted(member, id, "{\"lock\": null}");
    accepted(member, id, "{\"unlock\": null}");
    accepted(member, id, "{\"unpause\": null}");
    waitFor(id, "ACTIVE");
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void aFailingPowerOffLeavesTheServerActiveAndAFailingRebootInError() {
    String id = activeServer("faulty");
    admin.put(NOVA + "/os-kiln-faults/power_off", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    accepted(member, id, "{\"os-stop\": null}");
    // As Nova's @reverts_task_state: back to ACTIVE, task state cleared, no fault shown.
    JsonNode server = waitFor(id, "ACTIVE");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("active");
    assertThat(server.has("fault")).isFalse();
    accepted(member, id, "{\"os-stop\": null}");
    waitFor(id, "SHUTOFF");

    admin.put(NOVA + "/os-kiln-faults/reboot", "{\"kiln_fault\": {\"fail_next\": 1, \"message\": \"guest hung\"}}").expect(200);
    accepted(member, id, "{\"reboot\": {\"type\": \"HARD\"}}");
    server = waitFor(id, "ERROR");
    assertThat(server.at("/fault/message").asText()).isEqualTo("guest hung");
    // From ERROR, a stop or a hard reboot is allowed; the reboot brings it back.
    accepted(member, id, "{\"reboot\": {\"type\": \"HARD\"}}");
    server = waitFor(id, "ACTIVE");
    assertThat(server.has("fault")).isFalse();
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void instanceActionsRecordEachRequestWithItsRequestIdAndEvents() {
    String id = activeServer("audited");
    Api.Response stop = act(member, id, "{\"os-stop\": null}");
    assertThat(stop.status()).isEqualTo(202);
    String requestId = stop.header("x-openstack-request-id");
    assertThat(requestId).startsWith("req-");
    waitFor(id, "SHUTOFF");
    accepted(member, id, "{\"lock\": null}");

    JsonNode list = member.get(NOVA + "/servers/" + id + "/os-instance-actions").expect(200).get("instanceActions");
    assertThat(list).hasSize(3);
    assertThat(list.get(0).get("action").asText()).isEqualTo("lock");
    assertThat(list.get(1).get("action").asText()).isEqualTo("stop");
    assertThat(list.get(1).get("request_id").asText()).isEqualTo(requestId);
    assertThat(list.get(1).get("instance_uuid").asText()).isEqualTo(id);
    assertThat(list.get(2).get("action").asText()).isEqualTo("create");
    assertThat(list.get(0).has("updated_at")).isFalse();

    String path = NOVA + "/servers/" + id + "/os-instance-actions/" + requestId;
    assertThat(member.get(path).expect(200).at("/instanceAction").has("events")).isFalse(); // before 2.51
    JsonNode event = member.withHeader("OpenStack-API-Version", "compute 2.51").get(path).expect(200).at("/instanceAction/events/0");
    assertThat(event.get("event").asText()).isEqualTo("compute_stop_instance");
    assertThat(event.get("result").asText()).isEqualTo("Success");
    assertThat(event.has("traceback")).isFalse();
    JsonNode asAdmin = admin.withHeader("OpenStack-API-Version", "compute 2.62").get(path).expect(200).at("/instanceAction");
    assertThat(asAdmin.at("/events/0/host").asText()).startsWith("kiln-compute-");
    assertThat(asAdmin.has("updated_at")).isTrue();
    assertThat(member.get(NOVA + "/servers/" + id + "/os-instance-actions/req-nope").status()).isEqualTo(404);

    accepted(member, id, "{\"unlock\": null}");
    admin.put(NOVA + "/os-kiln-faults/power_on", "{\"kiln_fault\": {\"fail_next\": 1, \"message\": \"no power\"}}").expect(200);
    Api.Response start = act(member, id, "{\"os-start\": null}");
    assertThat(start.status()).isEqualTo(202);
    waitFor(id, "SHUTOFF");
    JsonNode failed =
        admin.get(NOVA + "/servers/" + id + "/os-instance-actions/" + start.header("x-openstack-request-id")).expect(200)
            .at("/instanceAction/events/0");
    assertThat(failed.get("result").asText()).isEqualTo("Error");
    assertThat(failed.get("traceback").asText()).isEqualTo("no power");
    member.delete(NOVA + "/servers/" + id).expect(204);
  }
}
