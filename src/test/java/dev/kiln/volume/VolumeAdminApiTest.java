package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What Cinder's admins see and steer: services, hosts, the scheduler's pools, a backend's
 * capabilities, type access lists; and what every user may ask: zones and extensions.
 */
class VolumeAdminApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String adminV3;
  private static String v3;
  private static String memberProject;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    adminV3 = operator.cinder();
    Tenant tenant = Tenant.create(kiln, admin, "voladmin", "voladmin-user");
    member = tenant.api();
    v3 = tenant.cinder();
    memberProject = tenant.projectId();
  }

  @Test
  void servicesListTheSchedulerTheBackupServiceAndTheBackendAndADisabledBackendFailsCreates() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response all = admin.get(adminV3 + "/os-services");
    schemas.check("list", "volume.services.list_services", all);
    assertThat(all.json().get("services").findValuesAsText("binary"))
        .containsExactlyInAnyOrder("cinder-backup", "cinder-scheduler", "cinder-volume");
    assertThat(admin.get(adminV3 + "/os-services?host=kiln").expect(200).get("services")).hasSize(3);
    assertThat(admin.get(adminV3 + "/os-services?host=kiln&binary=cinder-volume").expect(200).at("/services/0/host").asText())
        .isEqualTo("kiln@simulated");
    assertThat(member.get(v3 + "/os-services").status()).isEqualTo(403);

    Api.Response noReason = admin.put(adminV3 + "/os-services/disable-log-reason",
        "{\"host\": \"kiln@simulated\", \"binary\": \"cinder-volume\", \"disabled_reason\": null}");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(admin.put(adminV3 + "/os-services/enable", "{\"host\": \"invalid_host\", \"binary\": \"cinder-volume\"}").status())
        .isEqualTo(404);
    assertThat(admin.put(adminV3 + "/os-services/freeze", "{\"host\": \"invalid_host\"}").status()).isEqualTo(400);

    Api.Response disabled = admin.put(adminV3 + "/os-services/disable-log-reason",
        "{\"host\": \"kiln@simulated\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"maintenance\"}");
    schemas.check("disable-log-reason", "volume.services.disable_log_reason", disabled);
    assertThat(disabled.json().get("status").asText()).isEqualTo("disabled");
    try {
      String id = member.post(v3 + "/volumes", "{\"volume\": {\"size\": 1}}").expect(202).at("/volume/id").asText();
      Await.until(() -> Cloud.volumeStatus(member, v3, id).equals("error"), "no valid backend: error");
      assertThat(admin.get(adminV3 + "/os-services?binary=cinder-volume").expect(200).at("/services/0/disabled_reason").asText())
          .isEqualTo("maintenance");
    } finally {
      Api.Response enabled = admin.put(adminV3 + "/os-services/enable", "{\"host\": \"kiln@simulated\", \"binary\": \"cinder-volume\"}");
      schemas.check("enable", "volume.services.enable_service", enabled);
    }
    Cloud.availableVolume(member, v3, "after-enable");
    schemas.check("freeze", "volume.services.freeze_host", admin.put(adminV3 + "/os-services/freeze", "{\"host\": \"kiln\"}"));
    assertThat(admin.put(adminV3 + "/os-services/freeze", "{\"host\": \"kiln\"}").status()).as("already frozen").isEqualTo(400);
    schemas.check("thaw", "volume.services.thaw_host", admin.put(adminV3 + "/os-services/thaw", "{\"host\": \"kiln\"}"));
    schemas.verify();
  }

  @Test
  void hostsPoolsAndCapabilitiesDescribeTheSimulatedBackend() {
    TempestSchemas schemas = new TempestSchemas();
    Cloud.availableVolume(member, v3, "counted");
    Api.Response hosts = admin.get(adminV3 + "/os-hosts");
    schemas.check("hosts", "volume.hosts.list_hosts", hosts);
    assertThat(hosts.json().get("hosts").findValuesAsText("service"))
        .containsExactlyInAnyOrder("cinder-backup", "cinder-scheduler", "cinder-volume");
    Api.Response host = admin.get(adminV3 + "/os-hosts/kiln@simulated");
    schemas.check("host", "volume.hosts.show_host", host);
    assertThat(host.json().findValuesAsText("project")).contains("(total)", memberProject);
    assertThat(admin.get(adminV3 + "/os-hosts/nowhere").status()).isEqualTo(404);

    Api.Response pools = admin.get(adminV3 + "/scheduler-stats/get_pools");
    schemas.check("pools", "volume.scheduler_stats.get_pools_no_detail", pools);
    assertThat(pools.json().at("/pools/0/name").asText()).isEqualTo("kiln@simulated#pool");
    Api.Response detail = admin.get(adminV3 + "/scheduler-stats/get_pools?detail=True");
    schemas.check("pools detail", "volume.scheduler_stats.get_pools_with_detail", detail);
    JsonNode capabilities = detail.json().at("/pools/0/capabilities");
    assertThat(capabilities.get("allocated_capacity_gb").asLong()).isPositive();

    Api.Response backend = admin.get(adminV3 + "/capabilities/kiln@simulated#pool");
    schemas.check("capabilities", "volume.capabilities.show_backend_capabilities", backend);
    for (String stat : new String[] {"vendor_name", "volume_backend_name", "storage_protocol"}) {
      assertThat(backend.json().get(stat)).isEqualTo(capabilities.get(stat));
    }
    assertThat(admin.get(adminV3 + "/capabilities/elsewhere@lvm").status()).isEqualTo(404);
    schemas.verify();
  }

  @Test
  void everyoneSeesTheZoneAndTheExtensions() {
    TempestSchemas schemas = new TempestSchemas();
    JsonNode zones = member.get(v3 + "/os-availability-zone").expect(200);
    assertThat(zones.at("/availabilityZoneInfo/0/zoneName").asText()).isEqualTo("nova");
    assertThat(zones.at("/availabilityZoneInfo/0/zoneState/available").asBoolean()).isTrue();
    Api.Response extensions = member.get(v3 + "/extensions");
    schemas.check("extensions", "volume.extensions.list_extensions", extensions);
    assertThat(extensions.json().get("extensions").findValuesAsText("alias")).contains("os-vol-tenant-attr", "os-services");
    schemas.verify();
  }

  @Test
  void aPrivateTypeIsUsableByTheProjectsGivenAccess() {
    String type = admin.post(adminV3 + "/types",
        "{\"volume_type\": {\"name\": \"private-gold\", \"os-volume-type-access:is_public\": false}}")
        .expect(200).at("/volume_type/id").asText();
    assertThat(member.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}").status())
        .isEqualTo(404);
    String action = adminV3 + "/types/" + type + "/action";
    assertThat(member.post(v3 + "/types/" + type + "/action", "{\"addProjectAccess\": {\"project\": \"" + memberProject + "\"}}").status())
        .isEqualTo(403);
    assertThat(admin.post(action, "{\"addProjectAccess\": {\"project\": \"" + memberProject + "\"}}").status()).isEqualTo(202);
    assertThat(admin.post(action, "{\"addProjectAccess\": {\"project\": \"" + memberProject + "\"}}").status()).isEqualTo(409);
    Api.Response listed = admin.get(adminV3 + "/types/" + type + "/os-volume-type-access");
    new TempestSchemas().check("access", "volume.volume_types.list_type_access", listed).verify();
    assertThat(listed.json().at("/volume_type_access/0/project_id").asText()).isEqualTo(memberProject);

    assertThat(member.get(v3 + "/types").expect(200).get("volume_types").findValuesAsText("id")).contains(type);
    Api.Response created = member.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}");
    assertThat(created.expect(202).at("/volume/volume_type").asText()).isEqualTo("private-gold");

    assertThat(admin.post(action, "{\"removeProjectAccess\": {\"project\": \"" + memberProject + "\"}}").status()).isEqualTo(202);
    assertThat(admin.post(action, "{\"removeProjectAccess\": {\"project\": \"" + memberProject + "\"}}").status()).isEqualTo(404);
    assertThat(member.get(v3 + "/types/" + type).status()).isEqualTo(404);
    String defaultType = admin.get(adminV3 + "/types/default").expect(200).at("/volume_type/id").asText();
    assertThat(admin.get(adminV3 + "/types/" + defaultType + "/os-volume-type-access").status())
        .as("public types have no access list").isEqualTo(404);
  }
}
