package dev.kiln.compute.fleet;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deprecated {@code /os-hosts} on a two-host fleet, as Nova answers it before 2.43: the hosts
 * of enabled services by zone, a host's resources and its servers' use per project, the status
 * update that enables and disables the compute service, and the refusals.
 */
class HostsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.withHosts(List.of("left", "right"));
  private static Api admin;
  private static Tenant member;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "hosts", "hosts-user");
  }

  private static List<String> hostNames(JsonNode hosts) {
    List<String> names = new ArrayList<>();
    hosts.forEach(h -> names.add(h.get("host_name").asText() + "/" + h.get("service").asText() + "/" + h.get("zone").asText()));
    return names;
  }

  @Test
  void listsTheHostsOfEnabledServicesWithTheirZones() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response all = admin.get(NOVA + "/os-hosts");
    schemas.check("compute.v2_1.hosts.list_hosts", all);
    assertThat(hostNames(all.expect(200).get("hosts")))
        .containsExactlyInAnyOrder(
            "kiln/scheduler/internal", "kiln/conductor/internal", "left/compute/nova", "right/compute/nova");
    assertThat(hostNames(admin.get(NOVA + "/os-hosts?zone=internal").expect(200).get("hosts")))
        .containsExactlyInAnyOrder("kiln/scheduler/internal", "kiln/conductor/internal");
    assertThat(admin.get(NOVA + "/os-hosts?zone=").expect(200).get("hosts")).hasSize(4);
    assertThat(admin.get(NOVA + "/os-hosts?zone=xxx").expect(200).get("hosts")).isEmpty();

    Api.Response disabled = admin.put(NOVA + "/os-hosts/right", "{\"status\": \"disable\"}");
    schemas.check("compute.v2_1.hosts.update_host", disabled);
    assertThat(disabled.expect(200).toString()).isEqualTo("{\"host\":\"right\",\"status\":\"disabled\"}");
    assertThat(hostNames(admin.get(NOVA + "/os-hosts?zone=nova").expect(200).get("hosts")))
        .containsExactly("left/compute/nova");
    assertThat(admin.get(NOVA + "/os-services?host=right").expect(200).at("/services/0/status").asText())
        .isEqualTo("disabled");
    admin.put(NOVA + "/os-hosts/right", "{\"status\": \"Enable\"}").expect(200);
    assertThat(admin.get(NOVA + "/os-hosts?zone=nova").expect(200).get("hosts")).hasSize(2);
    schemas.verify();
  }

  @Test
  void showsAHostsResourcesAndWhatEachProjectsServersUse() {
    String imageId = Cloud.cirros(member.api());
    String server =
        member.api().withHeader("X-OpenStack-Nova-API-Version", "2.37").post(
                NOVA + "/servers",
                "{\"server\": {\"name\": \"counted\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                    + "\", \"networks\": \"none\"}}")
            .expect(202).at("/server/id").asText();
    String host = Cloud.awaitBuilt(admin, server, "ACTIVE").get("OS-EXT-SRV-ATTR:host").asText();

    Api.Response shown = admin.get(NOVA + "/os-hosts/" + host);
    new TempestSchemas().check("compute.v2_1.hosts.get_host_detail", shown).verify();
    List<String> rows = new ArrayList<>();
    shown.expect(200).get("host").forEach(r -> {
      JsonNode res = r.get("resource");
      assertThat(res.get("host").asText()).isEqualTo(host);
      rows.add(res.get("project").asText() + " cpu=" + res.get("cpu").asInt());
    });
    int vcpus = 0;
    for (JsonNode h : admin.get(NOVA + "/os-hypervisors/detail").expect(200).get("hypervisors")) {
      if (h.get("hypervisor_hostname").asText().equals(host)) {
        vcpus = h.get("vcpus").asInt();
      }
    }
    assertThat(rows.subList(0, 3)).containsExactly("(total) cpu=" + vcpus, "(used_now) cpu=1", "(used_max) cpu=1");
    assertThat(rows).contains(member.projectId() + " cpu=1").hasSize(4);
    Cloud.deleteServer(member.api(), server);
    assertThat(admin.get(NOVA + "/os-hosts/" + host).expect(200).get("host")).hasSize(3);
  }

  @Test
  void refusesWhatNovaRefuses() {
    assertThat(member.api().get(NOVA + "/os-hosts").status()).isEqualTo(403);
    assertThat(member.api().get(NOVA + "/os-hosts/left").status()).isEqualTo(403);
    assertThat(member.api().put(NOVA + "/os-hosts/left", "{\"status\": \"enable\"}").status()).isEqualTo(403);
    assertThat(member.api().get(NOVA + "/os-hosts/left/reboot").status()).isEqualTo(403);
    assertThat(admin.withHeader("X-OpenStack-Nova-API-Version", "2.43").get(NOVA + "/os-hosts").status())
        .isEqualTo(404);

    Api.Response unknown = admin.get(NOVA + "/os-hosts/nowhere");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/itemNotFound/message").asText()).isEqualTo("Compute host nowhere could not be found.");
    assertThat(admin.put(NOVA + "/os-hosts/nowhere", "{\"status\": \"enable\", \"maintenance_mode\": \"enable\"}").status())
        .isEqualTo(404);
    assertThat(admin.put(NOVA + "/os-hosts/left", "{\"status\": \"invalid\", \"maintenance_mode\": \"enable\"}").status())
        .isEqualTo(400);
    assertThat(admin.put(NOVA + "/os-hosts/left", "{\"status\": \"enable\", \"maintenance_mode\": \"invalid\"}").status())
        .isEqualTo(400);
    assertThat(admin.put(NOVA + "/os-hosts/left", "{\"status\": null, \"maintenance_mode\": null}").status())
        .isEqualTo(400);

    Api.Response maintenance = admin.put(NOVA + "/os-hosts/left", "{\"status\": \"disable\", \"maintenance_mode\": \"enable\"}");
    assertThat(maintenance.status()).isEqualTo(501);
    assertThat(maintenance.json().has("notImplemented")).isTrue();
    assertThat(admin.get(NOVA + "/os-services?host=left").expect(200).at("/services/0/status").asText())
        .as("a refused update changes nothing")
        .isEqualTo("enabled");
    for (String action : List.of("startup", "shutdown", "reboot")) {
      assertThat(admin.get(NOVA + "/os-hosts/left/" + action).status()).isEqualTo(501);
      assertThat(admin.get(NOVA + "/os-hosts/nowhere/" + action).status()).isEqualTo(404);
    }
  }
}
