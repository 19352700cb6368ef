package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder v3 {@code /limits}: the project's quotas as absolute limits, with its usage. */
class VolumeLimitsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String memberProject;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "tenant", "luser");
    memberProject = tenant.projectId();
    member = tenant.api();
  }

  @Test
  void limitsShowTheQuotasAndWhatTheProjectUses() {
    Api.Response created =
        member.post("/volume/v3/" + memberProject + "/volumes", "{\"volume\": {\"size\": 2, \"name\": \"v\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    admin.put(
        "/volume/v3/" + memberProject + "/os-quota-sets/" + memberProject, "{\"quota_set\": {\"volumes\": 7}}");

    Api.Response r = member.get("/volume/v3/" + memberProject + "/limits");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode limits = r.json().get("limits");
    assertThat(limits.get("rate")).isEmpty();
    JsonNode absolute = limits.get("absolute");
    assertThat(absolute.get("maxTotalVolumes").asLong()).isEqualTo(7);
    assertThat(absolute.get("maxTotalVolumeGigabytes").asLong()).isEqualTo(1000);
    assertThat(absolute.get("maxTotalSnapshots").asLong()).isEqualTo(10);
    assertThat(absolute.get("maxTotalBackups").asLong()).isEqualTo(10);
    assertThat(absolute.get("maxTotalBackupGigabytes").asLong()).isEqualTo(1000);
    assertThat(absolute.get("totalVolumesUsed").asLong()).isEqualTo(1);
    assertThat(absolute.get("totalGigabytesUsed").asLong()).isEqualTo(2);
    assertThat(absolute.get("totalSnapshotsUsed").asLong()).isZero();
    assertThat(absolute.get("totalBackupsUsed").asLong()).isZero();
    assertThat(absolute.get("totalBackupGigabytesUsed").asLong()).isZero();
  }

  @Test
  void anotherProjectsLimitsAreForbidden() {
    String adminProject = admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText();
    assertThat(member.get("/volume/v3/" + adminProject + "/limits").status()).isEqualTo(403);
  }
}
